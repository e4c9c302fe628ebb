// Harness smoke walk: the HA frontend as a logged-in user, and the login page.
import { loginAs, runWalk } from "./lib.mjs";

await runWalk(async (job, { page, shot, newPage }) => {
  const login = await newPage();
  await login.goto(job.base_url + "/", { waitUntil: "networkidle" });
  await shot("login-page", login);
  const loginUrl = login.url();
  await login.close();

  await loginAs(page, job.tokens);
  await page.goto(job.base_url + "/profile/general", { waitUntil: "networkidle" });
  await page.getByText(job.user_name).first().waitFor({ timeout: 30000 });
  await shot("profile");
  return { login_url: loginUrl, profile_url: page.url() };
});
