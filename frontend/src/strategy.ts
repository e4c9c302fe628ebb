/**
 * The ``custom:doorservice`` dashboard strategy: one view per room terminal, per
 * worker and per site's manager board, built from what the logged-in user may see.
 * A wall tablet logged in as a room's terminal user gets only its room.
 */
import { fetchFaces, type Hass } from "./api";

export interface StrategyConfig {
  type: string;
  site?: string;
  rooms?: boolean;
  workers?: boolean;
  manager?: boolean;
  swipe?: Record<string, string>;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "view";

export class DoorserviceDashboardStrategy extends HTMLElement {
  static async generate(config: StrategyConfig, hass: Hass) {
    const faces = await fetchFaces(hass);
    const views: Record<string, unknown>[] = [];
    const paths = new Set<string>();
    const path = (text: string) => {
      let candidate = slug(text);
      for (let n = 2; paths.has(candidate); n++) candidate = `${slug(text)}-${n}`;
      paths.add(candidate);
      return candidate;
    };
    const sites = faces.sites.filter((s) => !config.site || s.site === config.site || s.name === config.site);
    const several = sites.length > 1;
    for (const site of sites) {
      const prefix = several ? `${site.name} · ` : "";
      if (site.manager && config.manager !== false) {
        views.push({
          title: `${prefix}${site.site_type === "hotel" ? "Manager" : "Overview"}`,
          path: path(`${site.name}-manager`),
          type: "panel",
          cards: [{ type: "custom:doorservice-manager-card", site: site.site }],
        });
      }
      if (config.workers !== false) {
        for (const worker of site.workers) {
          views.push({
            title: `${prefix}${worker.name}`,
            path: path(worker.name),
            type: "panel",
            cards: [
              {
                type: "custom:doorservice-staff-card",
                site: site.site,
                worker: worker.id,
                ...(config.swipe ? { swipe: config.swipe } : {}),
              },
            ],
          });
        }
      }
      if (config.rooms !== false) {
        for (const room of site.rooms) {
          views.push({
            title: `${prefix}${room.name}`,
            path: path(room.name),
            type: "panel",
            cards: [{ type: "custom:doorservice-room-card", site: site.site, room: room.id }],
          });
        }
      }
    }
    if (!views.length) {
      views.push({
        title: "Door Service",
        cards: [
          {
            type: "markdown",
            content:
              "This user is neither a manager, a worker nor a room terminal of a Door Service site.",
          },
        ],
      });
    }
    return { title: "Door Service", views };
  }
}
