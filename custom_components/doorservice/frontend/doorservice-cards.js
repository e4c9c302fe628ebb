var D=globalThis,I=D.ShadowRoot&&(D.ShadyCSS===void 0||D.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,ee=Symbol(),me=new WeakMap,P=class{constructor(s,e,t){if(this._$cssResult$=!0,t!==ee)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=s,this.t=e}get styleSheet(){let s=this.o,e=this.t;if(I&&s===void 0){let t=e!==void 0&&e.length===1;t&&(s=me.get(e)),s===void 0&&((this.o=s=new CSSStyleSheet).replaceSync(this.cssText),t&&me.set(e,s))}return s}toString(){return this.cssText}},ge=o=>new P(typeof o=="string"?o:o+"",void 0,ee),$=(o,...s)=>{let e=o.length===1?o[0]:s.reduce((t,r,n)=>t+(a=>{if(a._$cssResult$===!0)return a.cssText;if(typeof a=="number")return a;throw Error("Value passed to 'css' function must be a 'css' function result: "+a+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(r)+o[n+1],o[0]);return new P(e,o,ee)},_e=(o,s)=>{if(I)o.adoptedStyleSheets=s.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of s){let t=document.createElement("style"),r=D.litNonce;r!==void 0&&t.setAttribute("nonce",r),t.textContent=e.cssText,o.appendChild(t)}},te=I?o=>o:o=>o instanceof CSSStyleSheet?(s=>{let e="";for(let t of s.cssRules)e+=t.cssText;return ge(e)})(o):o;var{is:Fe,defineProperty:ze,getOwnPropertyDescriptor:Ne,getOwnPropertyNames:Ue,getOwnPropertySymbols:Le,getPrototypeOf:De}=Object,V=globalThis,be=V.trustedTypes,Ie=be?be.emptyScript:"",Ve=V.reactiveElementPolyfillSupport,O=(o,s)=>o,se={toAttribute(o,s){switch(s){case Boolean:o=o?Ie:null;break;case Object:case Array:o=o==null?o:JSON.stringify(o)}return o},fromAttribute(o,s){let e=o;switch(s){case Boolean:e=o!==null;break;case Number:e=o===null?null:Number(o);break;case Object:case Array:try{e=JSON.parse(o)}catch{e=null}}return e}},ye=(o,s)=>!Fe(o,s),$e={attribute:!0,type:String,converter:se,reflect:!1,useDefault:!1,hasChanged:ye};Symbol.metadata??=Symbol("metadata"),V.litPropertyMetadata??=new WeakMap;var y=class extends HTMLElement{static addInitializer(s){this._$Ei(),(this.l??=[]).push(s)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(s,e=$e){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(s)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(s,e),!e.noAccessor){let t=Symbol(),r=this.getPropertyDescriptor(s,t,e);r!==void 0&&ze(this.prototype,s,r)}}static getPropertyDescriptor(s,e,t){let{get:r,set:n}=Ne(this.prototype,s)??{get(){return this[e]},set(a){this[e]=a}};return{get:r,set(a){let h=r?.call(this);n?.call(this,a),this.requestUpdate(s,h,t)},configurable:!0,enumerable:!0}}static getPropertyOptions(s){return this.elementProperties.get(s)??$e}static _$Ei(){if(this.hasOwnProperty(O("elementProperties")))return;let s=De(this);s.finalize(),s.l!==void 0&&(this.l=[...s.l]),this.elementProperties=new Map(s.elementProperties)}static finalize(){if(this.hasOwnProperty(O("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(O("properties"))){let e=this.properties,t=[...Ue(e),...Le(e)];for(let r of t)this.createProperty(r,e[r])}let s=this[Symbol.metadata];if(s!==null){let e=litPropertyMetadata.get(s);if(e!==void 0)for(let[t,r]of e)this.elementProperties.set(t,r)}this._$Eh=new Map;for(let[e,t]of this.elementProperties){let r=this._$Eu(e,t);r!==void 0&&this._$Eh.set(r,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(s){let e=[];if(Array.isArray(s)){let t=new Set(s.flat(1/0).reverse());for(let r of t)e.unshift(te(r))}else s!==void 0&&e.push(te(s));return e}static _$Eu(s,e){let t=e.attribute;return t===!1?void 0:typeof t=="string"?t:typeof s=="string"?s.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(s=>this.enableUpdating=s),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(s=>s(this))}addController(s){(this._$EO??=new Set).add(s),this.renderRoot!==void 0&&this.isConnected&&s.hostConnected?.()}removeController(s){this._$EO?.delete(s)}_$E_(){let s=new Map,e=this.constructor.elementProperties;for(let t of e.keys())this.hasOwnProperty(t)&&(s.set(t,this[t]),delete this[t]);s.size>0&&(this._$Ep=s)}createRenderRoot(){let s=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return _e(s,this.constructor.elementStyles),s}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(s=>s.hostConnected?.())}enableUpdating(s){}disconnectedCallback(){this._$EO?.forEach(s=>s.hostDisconnected?.())}attributeChangedCallback(s,e,t){this._$AK(s,t)}_$ET(s,e){let t=this.constructor.elementProperties.get(s),r=this.constructor._$Eu(s,t);if(r!==void 0&&t.reflect===!0){let n=(t.converter?.toAttribute!==void 0?t.converter:se).toAttribute(e,t.type);this._$Em=s,n==null?this.removeAttribute(r):this.setAttribute(r,n),this._$Em=null}}_$AK(s,e){let t=this.constructor,r=t._$Eh.get(s);if(r!==void 0&&this._$Em!==r){let n=t.getPropertyOptions(r),a=typeof n.converter=="function"?{fromAttribute:n.converter}:n.converter?.fromAttribute!==void 0?n.converter:se;this._$Em=r;let h=a.fromAttribute(e,n.type);this[r]=h??this._$Ej?.get(r)??h,this._$Em=null}}requestUpdate(s,e,t,r=!1,n){if(s!==void 0){let a=this.constructor;if(r===!1&&(n=this[s]),t??=a.getPropertyOptions(s),!((t.hasChanged??ye)(n,e)||t.useDefault&&t.reflect&&n===this._$Ej?.get(s)&&!this.hasAttribute(a._$Eu(s,t))))return;this.C(s,e,t)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(s,e,{useDefault:t,reflect:r,wrapped:n},a){t&&!(this._$Ej??=new Map).has(s)&&(this._$Ej.set(s,a??e??this[s]),n!==!0||a!==void 0)||(this._$AL.has(s)||(this.hasUpdated||t||(e=void 0),this._$AL.set(s,e)),r===!0&&this._$Em!==s&&(this._$Eq??=new Set).add(s))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let s=this.scheduleUpdate();return s!=null&&await s,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[r,n]of this._$Ep)this[r]=n;this._$Ep=void 0}let t=this.constructor.elementProperties;if(t.size>0)for(let[r,n]of t){let{wrapped:a}=n,h=this[r];a!==!0||this._$AL.has(r)||h===void 0||this.C(r,void 0,n,h)}}let s=!1,e=this._$AL;try{s=this.shouldUpdate(e),s?(this.willUpdate(e),this._$EO?.forEach(t=>t.hostUpdate?.()),this.update(e)):this._$EM()}catch(t){throw s=!1,this._$EM(),t}s&&this._$AE(e)}willUpdate(s){}_$AE(s){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(s)),this.updated(s)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(s){return!0}update(s){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(s){}firstUpdated(s){}};y.elementStyles=[],y.shadowRootOptions={mode:"open"},y[O("elementProperties")]=new Map,y[O("finalized")]=new Map,Ve?.({ReactiveElement:y}),(V.reactiveElementVersions??=[]).push("2.1.2");var de=globalThis,ve=o=>o,B=de.trustedTypes,we=B?B.createPolicy("lit-html",{createHTML:o=>o}):void 0,Ee="$lit$",v=`lit$${Math.random().toFixed(9).slice(2)}$`,Re="?"+v,Be=`<${Re}>`,k=document,q=()=>k.createComment(""),H=o=>o===null||typeof o!="object"&&typeof o!="function",le=Array.isArray,je=o=>le(o)||typeof o?.[Symbol.iterator]=="function",re=`[ 	
\f\r]`,M=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,xe=/-->/g,ke=/>/g,w=RegExp(`>|${re}(?:([^\\s"'>=/]+)(${re}*=${re}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Se=/'/g,Ae=/"/g,Te=/^(?:script|style|textarea|title)$/i,pe=o=>(s,...e)=>({_$litType$:o,strings:s,values:e}),i=pe(1),pt=pe(2),ht=pe(3),S=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Ce=new WeakMap,x=k.createTreeWalker(k,129);function Pe(o,s){if(!le(o)||!o.hasOwnProperty("raw"))throw Error("invalid template strings array");return we!==void 0?we.createHTML(s):s}var We=(o,s)=>{let e=o.length-1,t=[],r,n=s===2?"<svg>":s===3?"<math>":"",a=M;for(let h=0;h<e;h++){let c=o[h],p,l,u=-1,g=0;for(;g<c.length&&(a.lastIndex=g,l=a.exec(c),l!==null);)g=a.lastIndex,a===M?l[1]==="!--"?a=xe:l[1]!==void 0?a=ke:l[2]!==void 0?(Te.test(l[2])&&(r=RegExp("</"+l[2],"g")),a=w):l[3]!==void 0&&(a=w):a===w?l[0]===">"?(a=r??M,u=-1):l[1]===void 0?u=-2:(u=a.lastIndex-l[2].length,p=l[1],a=l[3]===void 0?w:l[3]==='"'?Ae:Se):a===Ae||a===Se?a=w:a===xe||a===ke?a=M:(a=w,r=void 0);let f=a===w&&o[h+1].startsWith("/>")?" ":"";n+=a===M?c+Be:u>=0?(t.push(p),c.slice(0,u)+Ee+c.slice(u)+v+f):c+v+(u===-2?h:f)}return[Pe(o,n+(o[e]||"<?>")+(s===2?"</svg>":s===3?"</math>":"")),t]},F=class o{constructor({strings:s,_$litType$:e},t){let r;this.parts=[];let n=0,a=0,h=s.length-1,c=this.parts,[p,l]=We(s,e);if(this.el=o.createElement(p,t),x.currentNode=this.el.content,e===2||e===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(r=x.nextNode())!==null&&c.length<h;){if(r.nodeType===1){if(r.hasAttributes())for(let u of r.getAttributeNames())if(u.endsWith(Ee)){let g=l[a++],f=r.getAttribute(u).split(v),L=/([.?@])?(.*)/.exec(g);c.push({type:1,index:n,name:L[2],strings:f,ctor:L[1]==="."?oe:L[1]==="?"?ae:L[1]==="@"?ie:R}),r.removeAttribute(u)}else u.startsWith(v)&&(c.push({type:6,index:n}),r.removeAttribute(u));if(Te.test(r.tagName)){let u=r.textContent.split(v),g=u.length-1;if(g>0){r.textContent=B?B.emptyScript:"";for(let f=0;f<g;f++)r.append(u[f],q()),x.nextNode(),c.push({type:2,index:++n});r.append(u[g],q())}}}else if(r.nodeType===8)if(r.data===Re)c.push({type:2,index:n});else{let u=-1;for(;(u=r.data.indexOf(v,u+1))!==-1;)c.push({type:7,index:n}),u+=v.length-1}n++}}static createElement(s,e){let t=k.createElement("template");return t.innerHTML=s,t}};function E(o,s,e=o,t){if(s===S)return s;let r=t!==void 0?e._$Co?.[t]:e._$Cl,n=H(s)?void 0:s._$litDirective$;return r?.constructor!==n&&(r?._$AO?.(!1),n===void 0?r=void 0:(r=new n(o),r._$AT(o,e,t)),t!==void 0?(e._$Co??=[])[t]=r:e._$Cl=r),r!==void 0&&(s=E(o,r._$AS(o,s.values),r,t)),s}var ne=class{constructor(s,e){this._$AV=[],this._$AN=void 0,this._$AD=s,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(s){let{el:{content:e},parts:t}=this._$AD,r=(s?.creationScope??k).importNode(e,!0);x.currentNode=r;let n=x.nextNode(),a=0,h=0,c=t[0];for(;c!==void 0;){if(a===c.index){let p;c.type===2?p=new z(n,n.nextSibling,this,s):c.type===1?p=new c.ctor(n,c.name,c.strings,this,s):c.type===6&&(p=new ce(n,this,s)),this._$AV.push(p),c=t[++h]}a!==c?.index&&(n=x.nextNode(),a++)}return x.currentNode=k,r}p(s){let e=0;for(let t of this._$AV)t!==void 0&&(t.strings!==void 0?(t._$AI(s,t,e),e+=t.strings.length-2):t._$AI(s[e])),e++}},z=class o{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(s,e,t,r){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=s,this._$AB=e,this._$AM=t,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let s=this._$AA.parentNode,e=this._$AM;return e!==void 0&&s?.nodeType===11&&(s=e.parentNode),s}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(s,e=this){s=E(this,s,e),H(s)?s===d||s==null||s===""?(this._$AH!==d&&this._$AR(),this._$AH=d):s!==this._$AH&&s!==S&&this._(s):s._$litType$!==void 0?this.$(s):s.nodeType!==void 0?this.T(s):je(s)?this.k(s):this._(s)}O(s){return this._$AA.parentNode.insertBefore(s,this._$AB)}T(s){this._$AH!==s&&(this._$AR(),this._$AH=this.O(s))}_(s){this._$AH!==d&&H(this._$AH)?this._$AA.nextSibling.data=s:this.T(k.createTextNode(s)),this._$AH=s}$(s){let{values:e,_$litType$:t}=s,r=typeof t=="number"?this._$AC(s):(t.el===void 0&&(t.el=F.createElement(Pe(t.h,t.h[0]),this.options)),t);if(this._$AH?._$AD===r)this._$AH.p(e);else{let n=new ne(r,this),a=n.u(this.options);n.p(e),this.T(a),this._$AH=n}}_$AC(s){let e=Ce.get(s.strings);return e===void 0&&Ce.set(s.strings,e=new F(s)),e}k(s){le(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,t,r=0;for(let n of s)r===e.length?e.push(t=new o(this.O(q()),this.O(q()),this,this.options)):t=e[r],t._$AI(n),r++;r<e.length&&(this._$AR(t&&t._$AB.nextSibling,r),e.length=r)}_$AR(s=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);s!==this._$AB;){let t=ve(s).nextSibling;ve(s).remove(),s=t}}setConnected(s){this._$AM===void 0&&(this._$Cv=s,this._$AP?.(s))}},R=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(s,e,t,r,n){this.type=1,this._$AH=d,this._$AN=void 0,this.element=s,this.name=e,this._$AM=r,this.options=n,t.length>2||t[0]!==""||t[1]!==""?(this._$AH=Array(t.length-1).fill(new String),this.strings=t):this._$AH=d}_$AI(s,e=this,t,r){let n=this.strings,a=!1;if(n===void 0)s=E(this,s,e,0),a=!H(s)||s!==this._$AH&&s!==S,a&&(this._$AH=s);else{let h=s,c,p;for(s=n[0],c=0;c<n.length-1;c++)p=E(this,h[t+c],e,c),p===S&&(p=this._$AH[c]),a||=!H(p)||p!==this._$AH[c],p===d?s=d:s!==d&&(s+=(p??"")+n[c+1]),this._$AH[c]=p}a&&!r&&this.j(s)}j(s){s===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,s??"")}},oe=class extends R{constructor(){super(...arguments),this.type=3}j(s){this.element[this.name]=s===d?void 0:s}},ae=class extends R{constructor(){super(...arguments),this.type=4}j(s){this.element.toggleAttribute(this.name,!!s&&s!==d)}},ie=class extends R{constructor(s,e,t,r,n){super(s,e,t,r,n),this.type=5}_$AI(s,e=this){if((s=E(this,s,e,0)??d)===S)return;let t=this._$AH,r=s===d&&t!==d||s.capture!==t.capture||s.once!==t.once||s.passive!==t.passive,n=s!==d&&(t===d||r);r&&this.element.removeEventListener(this.name,this,t),n&&this.element.addEventListener(this.name,this,s),this._$AH=s}handleEvent(s){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,s):this._$AH.handleEvent(s)}},ce=class{constructor(s,e,t){this.element=s,this.type=6,this._$AN=void 0,this._$AM=e,this.options=t}get _$AU(){return this._$AM._$AU}_$AI(s){E(this,s)}};var Ke=de.litHtmlPolyfillSupport;Ke?.(F,z),(de.litHtmlVersions??=[]).push("3.3.3");var Oe=(o,s,e)=>{let t=e?.renderBefore??s,r=t._$litPart$;if(r===void 0){let n=e?.renderBefore??null;t._$litPart$=r=new z(s.insertBefore(q(),n),n,void 0,e??{})}return r._$AI(o),r};var he=globalThis,_=class extends y{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let s=super.createRenderRoot();return this.renderOptions.renderBefore??=s.firstChild,s}update(s){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(s),this._$Do=Oe(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};_._$litElement$=!0,_.finalized=!0,he.litElementHydrateSupport?.({LitElement:_});var Ge=he.litElementPolyfillSupport;Ge?.({LitElement:_});(he.litElementVersions??=[]).push("4.2.2");var ue={"state.queued":"Waiting for staff","state.offered":"Finding staff","state.accepted":"On the way","state.in_progress":"In progress","state.awaiting_return":"Done, key being returned","state.awaiting_dropoff":"Waiting for the key","state.completed":"Done","state.closed":"Done","state.cancelled":"Cancelled","staff_state.queued":"Queued","staff_state.offered":"Offered to you","staff_state.accepted":"Accepted","staff_state.in_progress":"Working","staff_state.awaiting_return":"Return the key","staff_state.awaiting_dropoff":"Waiting for the key","staff_state.completed":"Done","staff_state.closed":"Closed","staff_state.cancelled":"Cancelled","manager_state.queued":"Queued","manager_state.offered":"Offered","manager_state.accepted":"Accepted","manager_state.in_progress":"In progress","manager_state.awaiting_return":"Key being returned","manager_state.awaiting_dropoff":"Waiting for the key","manager_state.completed":"Completed","manager_state.closed":"Closed","manager_state.cancelled":"Cancelled","room.requests":"Ask for","room.status":"My requests","room.none":"No requests yet","room.free":"Free","room.confirm":"Send request","room.cancel":"Back","room.quantity":"How many","room.sent":"Request sent: {service}","room.by":"{worker}","room.eta":"expected by {time}","room.done_at":"done at {time}","room.dnd":"Do not disturb","room.dnd_on":"Do not disturb is on","room.appliances":"In my room","room.bill":"My bill","room.bill_empty":"Nothing charged yet","room.total":"Total","room.no_stay":"Requests open when a stay starts.","room.left":"Left-handed","room.right":"Right-handed","room.recent":"Earlier","staff.offers":"Offers","staff.work":"My work","staff.nothing":"Nothing in {category}","staff.accept":"Accept","staff.decline":"Decline","staff.start":"Start","staff.done":"Done","staff.give_back":"Give back","staff.reason":"Reason","staff.send":"Send","staff.cancel":"Back","staff.details":"Details","staff.room":"Room","staff.address":"Address","staff.price":"Price","staff.due":"Due","staff.message":"Message","staff.key":"Key","staff.key_owner":"with the owner","staff.key_compartment":"in {cabinet}, compartment {number}","staff.key_worker":"with {worker}","staff.items":"Items in {cabinet}, compartment {number}","staff.code":"Your code comes to your phone when the cabinet is ready.","staff.rooms":"Rooms I serve","staff.change":"Ask to change","staff.change_reason":"Why","staff.board_offline":"room board offline","staff.off_duty":"Off duty","staff.on_duty":"On duty","staff.swipe":"Swipe to switch category","manager.open":"Open orders","manager.escalations":"Escalations","manager.none":"None","manager.cabinets":"Cabinets","manager.online":"online","manager.offline":"offline","manager.stock":"Stock","manager.workers":"Response times","manager.site_mean":"Site, last 24 h: {count} accepted, mean {mean}, p90 {p90}","manager.overdue":"overdue","manager.due":"due {time}","manager.worker":"Worker","manager.accepted":"Accepted","manager.mean":"Mean response","manager.door_open":"door open","manager.out_of_service":"out of service","contents.empty":"empty","contents.reserved":"reserved","contents.key":"key","contents.supplies":"supplies","worker_status.off_duty":"off duty","worker_status.idle":"idle","worker_status.offered":"offered","worker_status.busy":"busy","appliance.on":"On","appliance.off":"Off","appliance.open":"Open","appliance.closed":"Closed","category.cleaning":"Cleaning","category.linen":"Linen","category.food":"Food","category.maintenance":"Maintenance","category.concierge":"Concierge","category.general":"General","error.not_found":"Not found","error.unauthorized":"This face is not yours to see.",loading:"Loading\u2026"},Ye={"state.queued":"\u7B49\u5F85\u670D\u52A1\u4EBA\u5458","state.offered":"\u6B63\u5728\u5B89\u6392\u4EBA\u5458","state.accepted":"\u6B63\u5728\u524D\u5F80","state.in_progress":"\u670D\u52A1\u4E2D","state.awaiting_return":"\u5DF2\u5B8C\u6210\uFF0C\u6B63\u5728\u5F52\u8FD8\u94A5\u5319","state.awaiting_dropoff":"\u7B49\u5F85\u94A5\u5319","state.completed":"\u5DF2\u5B8C\u6210","state.closed":"\u5DF2\u5B8C\u6210","state.cancelled":"\u5DF2\u53D6\u6D88","staff_state.queued":"\u6392\u961F\u4E2D","staff_state.offered":"\u6D3E\u7ED9\u60A8","staff_state.accepted":"\u5DF2\u63A5\u5355","staff_state.in_progress":"\u8FDB\u884C\u4E2D","staff_state.awaiting_return":"\u8BF7\u5F52\u8FD8\u94A5\u5319","staff_state.awaiting_dropoff":"\u7B49\u5F85\u94A5\u5319","staff_state.completed":"\u5DF2\u5B8C\u6210","staff_state.closed":"\u5DF2\u5173\u95ED","staff_state.cancelled":"\u5DF2\u53D6\u6D88","manager_state.queued":"\u6392\u961F\u4E2D","manager_state.offered":"\u5DF2\u6D3E\u5355","manager_state.accepted":"\u5DF2\u63A5\u5355","manager_state.in_progress":"\u8FDB\u884C\u4E2D","manager_state.awaiting_return":"\u7B49\u5F85\u5F52\u8FD8\u94A5\u5319","manager_state.awaiting_dropoff":"\u7B49\u5F85\u94A5\u5319","manager_state.completed":"\u5DF2\u5B8C\u6210","manager_state.closed":"\u5DF2\u5173\u95ED","manager_state.cancelled":"\u5DF2\u53D6\u6D88","room.requests":"\u6211\u9700\u8981","room.status":"\u6211\u7684\u8BF7\u6C42","room.none":"\u6682\u65E0\u8BF7\u6C42","room.free":"\u514D\u8D39","room.confirm":"\u53D1\u9001\u8BF7\u6C42","room.cancel":"\u8FD4\u56DE","room.quantity":"\u6570\u91CF","room.sent":"\u8BF7\u6C42\u5DF2\u53D1\u9001\uFF1A{service}","room.by":"{worker}","room.eta":"\u9884\u8BA1 {time} \u524D","room.done_at":"{time} \u5B8C\u6210","room.dnd":"\u8BF7\u52FF\u6253\u6270","room.dnd_on":"\u8BF7\u52FF\u6253\u6270\u5DF2\u5F00\u542F","room.appliances":"\u623F\u95F4\u8BBE\u5907","room.bill":"\u6211\u7684\u8D26\u5355","room.bill_empty":"\u6682\u65E0\u6D88\u8D39","room.total":"\u5408\u8BA1","room.no_stay":"\u5165\u4F4F\u540E\u5373\u53EF\u53D1\u9001\u8BF7\u6C42\u3002","room.left":"\u5DE6\u624B","room.right":"\u53F3\u624B","room.recent":"\u4E4B\u524D","staff.offers":"\u65B0\u4EFB\u52A1","staff.work":"\u6211\u7684\u5DE5\u4F5C","staff.nothing":"{category}\u6682\u65E0\u4EFB\u52A1","staff.accept":"\u63A5\u5355","staff.decline":"\u62D2\u7EDD","staff.start":"\u5F00\u59CB","staff.done":"\u5B8C\u6210","staff.give_back":"\u9000\u56DE","staff.reason":"\u539F\u56E0","staff.send":"\u53D1\u9001","staff.cancel":"\u8FD4\u56DE","staff.details":"\u8BE6\u60C5","staff.room":"\u623F\u95F4","staff.address":"\u5730\u5740","staff.price":"\u4EF7\u683C","staff.due":"\u622A\u6B62","staff.message":"\u7559\u8A00","staff.key":"\u94A5\u5319","staff.key_owner":"\u5728\u4E1A\u4E3B\u5904","staff.key_compartment":"\u5728{cabinet}\u7B2C {number} \u683C","staff.key_worker":"\u5728{worker}\u5904","staff.items":"\u7269\u54C1\u5728{cabinet}\u7B2C {number} \u683C","staff.code":"\u67DC\u5B50\u5C31\u7EEA\u540E\uFF0C\u5F00\u67DC\u7801\u4F1A\u53D1\u9001\u5230\u60A8\u7684\u624B\u673A\u3002","staff.rooms":"\u6211\u670D\u52A1\u7684\u623F\u95F4","staff.change":"\u8BF7\u6C42\u66F4\u6539","staff.change_reason":"\u539F\u56E0","staff.board_offline":"\u623F\u95F4\u63A7\u5236\u677F\u79BB\u7EBF","staff.off_duty":"\u4E0B\u73ED","staff.on_duty":"\u503C\u73ED\u4E2D","staff.swipe":"\u5DE6\u53F3\u6ED1\u52A8\u5207\u6362\u7C7B\u522B","manager.open":"\u672A\u5B8C\u6210\u8BA2\u5355","manager.escalations":"\u5347\u7EA7\u5904\u7406","manager.none":"\u65E0","manager.cabinets":"\u50A8\u7269\u67DC","manager.online":"\u5728\u7EBF","manager.offline":"\u79BB\u7EBF","manager.stock":"\u5E93\u5B58","manager.workers":"\u54CD\u5E94\u65F6\u95F4","manager.site_mean":"\u5168\u7AD9\u8FD1 24 \u5C0F\u65F6\uFF1A\u63A5\u5355 {count} \u4E2A\uFF0C\u5E73\u5747 {mean}\uFF0Cp90 {p90}","manager.overdue":"\u5DF2\u8D85\u65F6","manager.due":"{time} \u622A\u6B62","manager.worker":"\u5458\u5DE5","manager.accepted":"\u63A5\u5355\u6570","manager.mean":"\u5E73\u5747\u54CD\u5E94","manager.door_open":"\u95E8\u5F00\u7740","manager.out_of_service":"\u505C\u7528","contents.empty":"\u7A7A","contents.reserved":"\u5DF2\u9884\u7559","contents.key":"\u94A5\u5319","contents.supplies":"\u7528\u54C1","worker_status.off_duty":"\u4E0B\u73ED","worker_status.idle":"\u7A7A\u95F2","worker_status.offered":"\u5F85\u63A5\u5355","worker_status.busy":"\u5FD9\u788C","appliance.on":"\u5F00","appliance.off":"\u5173","appliance.open":"\u6253\u5F00","appliance.closed":"\u5173\u95ED","category.cleaning":"\u6E05\u6D01","category.linen":"\u5E03\u8349","category.food":"\u9910\u996E","category.maintenance":"\u7EF4\u4FEE","category.concierge":"\u793C\u5BBE","category.general":"\u5176\u4ED6","error.not_found":"\u672A\u627E\u5230","error.unauthorized":"\u60A8\u65E0\u6743\u67E5\u770B\u6B64\u9875\u9762\u3002",loading:"\u52A0\u8F7D\u4E2D\u2026"},Xe={standard_cleaning:"\u6807\u51C6\u6E05\u6D01",deep_cleaning:"\u6DF1\u5EA6\u6E05\u6D01",room_cleaning:"\u5BA2\u623F\u6E05\u6D01",towels:"\u66F4\u6362\u6BDB\u5DFE",bed_linen:"\u66F4\u6362\u5E8A\u5355",amenities:"\u8865\u5145\u6D17\u6F31\u7528\u54C1",laundry:"\u6D17\u8863",minibar:"\u8865\u5145\u8FF7\u4F60\u5427",room_service_meal:"\u9001\u9910\u670D\u52A1",repair:"\u7EF4\u4FEE",wake_up_call:"\u53EB\u9192\u670D\u52A1",luggage:"\u884C\u674E\u670D\u52A1",call_staff:"\u547C\u53EB\u670D\u52A1\u5458"};function Je(o,s){return(s||o?.locale?.language||o?.language||"en").toLowerCase().startsWith("zh")?"zh":"en"}var A=class{constructor(s,e){this.lang=Je(s,e)}t(s,e={}){let r=(this.lang==="zh"?Ye:ue)[s]??ue[s]??s;for(let[n,a]of Object.entries(e))r=r.replace(`{${n}}`,a==null?"":String(a));return r}category(s){let e=`category.${s}`;return e in ue?this.t(e):s.charAt(0).toUpperCase()+s.slice(1)}service(s,e,t){return this.lang!=="zh"?e:t?.["zh-Hans"]??Xe[s]??e}time(s){return s?new Date(s).toLocaleTimeString(this.lang==="zh"?"zh-CN":"en-GB",{hour:"2-digit",minute:"2-digit"}):""}money(s,e){let t=Number(s);if(!t)return this.t("room.free");try{return new Intl.NumberFormat(this.lang==="zh"?"zh-CN":"en-GB",{style:"currency",currency:e}).format(t)}catch{return`${s} ${e}`}}duration(s){if(s==null)return"\u2013";if(s<60)return this.lang==="zh"?`${s} \u79D2`:`${s} s`;let e=Math.round(s/60);if(e<120)return this.lang==="zh"?`${e} \u5206\u949F`:`${e} min`;let t=(e/60).toFixed(1);return this.lang==="zh"?`${t} \u5C0F\u65F6`:`${t} h`}};var b=class extends _{static{this.properties={hass:{attribute:!1},_config:{state:!0},_face:{state:!0},_error:{state:!0}}}setConfig(s){if(!s)throw new Error("Invalid configuration");this._config=s,this._resubscribe()}get tr(){return new A(this.hass,this._config?.language)}connectedCallback(){super.connectedCallback(),this._resubscribe()}disconnectedCallback(){super.disconnectedCallback(),this._unsubscribe()}willUpdate(s){s.has("hass")&&!this._unsub&&this._resubscribe()}subscribeMessage(){let s=this._config,e={type:"doorservice/subscribe_face",face:this.faceName};for(let t of["site","room","worker"])s[t]&&(e[t]=s[t]);return e}_resubscribe(){if(!this.hass||!this._config||!this.isConnected)return;let s=this.subscribeMessage(),e=JSON.stringify(s);this._unsub&&e===this._subscribedKey||(this._unsubscribe(),this._subscribedKey=e,this._error=void 0,this._unsub=this.hass.connection.subscribeMessage(t=>{if(t.ended){this._unsubscribe(),window.setTimeout(()=>this._resubscribe(),1e3);return}this._face=t,this._error=void 0},s),this._unsub.catch(t=>{this._unsub=void 0,this._error=t?.code?this.tr.t(`error.${t.code}`):String(t?.message??t),this._face&&window.setTimeout(()=>this._resubscribe(),5e3)}))}_unsubscribe(){let s=this._unsub;this._unsub=void 0,this._subscribedKey=void 0,s?.then(e=>e()).catch(()=>{})}renderStatus(){if(this._error)return i`<ha-card><div class="message error">${this._error}</div></ha-card>`;if(!this._face)return i`<ha-card><div class="message">${this.tr.t("loading")}</div></ha-card>`}};function Me(o,s,e){o.dispatchEvent(new CustomEvent(s,{detail:e,bubbles:!0,composed:!0}))}var T=$`
  :host {
    display: block;
    --ds-accent: var(--primary-color, #03a9f4);
    --ds-ok: var(--success-color, #43a047);
    --ds-warn: var(--warning-color, #ffa000);
    --ds-bad: var(--error-color, #db4437);
    --ds-muted: var(--secondary-text-color, #727272);
  }
  ha-card {
    padding: 16px;
    box-sizing: border-box;
    height: 100%;
  }
  h1, h2, h3 { margin: 0; font-weight: 500; }
  h1 { font-size: 1.5em; }
  h2 { font-size: 1.15em; margin: 16px 0 8px; }
  h3 { font-size: 1em; margin: 12px 0 6px; color: var(--ds-muted); }
  .message { padding: 16px; }
  .error { color: var(--ds-bad); }
  .muted { color: var(--ds-muted); }
  button {
    font: inherit;
    border-radius: 10px;
    border: 1px solid var(--divider-color, #ccc);
    background: var(--card-background-color, #fff);
    color: var(--primary-text-color, #212121);
    padding: 10px 14px;
    cursor: pointer;
    min-height: 44px;
  }
  button.primary { background: var(--ds-accent); color: var(--text-primary-color, #fff); border-color: transparent; }
  button.good { background: var(--ds-ok); color: #fff; border-color: transparent; }
  button.bad { color: var(--ds-bad); border-color: var(--ds-bad); }
  button.on { background: var(--ds-accent); color: var(--text-primary-color, #fff); }
  button:disabled { opacity: 0.5; cursor: default; }
  .chip {
    display: inline-block; border-radius: 12px; padding: 2px 10px; font-size: 0.85em;
    background: var(--secondary-background-color, #eee);
  }
  .chip.accepted, .chip.in_progress { background: var(--ds-accent); color: #fff; }
  .chip.completed, .chip.closed { background: var(--ds-ok); color: #fff; }
  .chip.overdue, .chip.escalated, .chip.cancelled { background: var(--ds-bad); color: #fff; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .spread { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
  .toast {
    position: sticky; bottom: 8px; margin-top: 12px; padding: 12px 16px; border-radius: 10px;
    background: var(--ds-ok); color: #fff; font-weight: 500;
  }
  .toast.error { background: var(--ds-bad); }
  input, textarea {
    font: inherit; padding: 8px; border-radius: 8px; border: 1px solid var(--divider-color, #ccc);
    box-sizing: border-box; width: 100%;
    background: var(--card-background-color, #fff); color: var(--primary-text-color);
  }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--divider-color, #e0e0e0); }
`;var Ze=["awaiting_dropoff","queued","offered","accepted","in_progress","awaiting_return","completed"],j=class extends b{constructor(){super(...arguments);this.faceName="manager"}static{this.styles=[T,$`
      .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
      .counts { display: flex; gap: 8px; flex-wrap: wrap; }
      .count { border-radius: 12px; padding: 8px 12px; background: var(--secondary-background-color, #eee); text-align: center; min-width: 80px; }
      .count b { display: block; font-size: 1.4em; }
      .compartments { display: grid; grid-template-columns: repeat(auto-fill, minmax(70px, 1fr)); gap: 6px; }
      .compartment { border-radius: 8px; padding: 6px; font-size: 0.8em; border: 1px solid var(--divider-color, #ccc); }
      .compartment.key, .compartment.supplies { background: var(--ds-accent); color: #fff; }
      .compartment.reserved { background: var(--ds-warn); color: #fff; }
      .compartment.out { opacity: 0.5; text-decoration: line-through; }
      .compartment.open { outline: 2px solid var(--ds-bad); }
      .low { color: var(--ds-bad); font-weight: 500; }
    `]}static getConfigElement(){return document.createElement("doorservice-manager-card-editor")}static getStubConfig(){return{type:"custom:doorservice-manager-card"}}getCardSize(){return 10}getGridOptions(){return{columns:"full",rows:10}}render(){let e=this.renderStatus();if(e)return e;let t=this._face,r=this.tr,n=Ze.filter(c=>t.by_state[c]),a=t.response_times,h=this._config;return i`<ha-card>
      <h1>${t.site_name}</h1>
      <h2>${r.t("manager.open")}</h2>
      <div class="counts">
        ${n.length?n.map(c=>i`<div class="count" data-state=${c}><b>${t.by_state[c]}</b>${r.t(`manager_state.${c}`)}</div>`):i`<span class="muted">${r.t("manager.none")}</span>`}
      </div>
      ${t.orders.length?this._orders(t.orders):d}
      <div class="grid">
        <section>
          <h2>${r.t("manager.escalations")}</h2>
          ${t.escalations.length?this._orders(t.escalations):i`<p class="muted">${r.t("manager.none")}</p>`}
          <h2>${r.t("manager.workers")}</h2>
          <p class="muted" data-site-response>
            ${r.t("manager.site_mean",{count:a.count,mean:r.duration(a.mean_seconds),p90:r.duration(a.p90_seconds)})}
          </p>
          <table data-workers>
            <tr><th>${r.t("manager.worker")}</th><th></th><th>${r.t("manager.accepted")}</th><th>${r.t("manager.mean")}</th></tr>
            ${t.workers.map(c=>i`<tr data-worker=${c.worker}>
                <td>${c.worker}</td>
                <td><span class="chip">${r.t(`worker_status.${c.status}`)}</span></td>
                <td>${c.accepted}</td>
                <td data-mean>${r.duration(c.mean_response_seconds)}</td>
              </tr>`)}
          </table>
        </section>
        ${h.show_cabinets===!1?d:i`<section>
              <h2>${r.t("manager.cabinets")}</h2>
              ${t.cabinets.length?d:i`<p class="muted">${r.t("manager.none")}</p>`}
              ${t.cabinets.map(c=>i`<div data-cabinet=${c.name}>
                  <h3>${c.name} · <span class=${c.online?"":"low"}>${c.online?r.t("manager.online"):r.t("manager.offline")}</span></h3>
                  <div class="compartments">
                    ${c.compartments.map(p=>i`<div
                        class="compartment ${p.contents} ${p.out_of_service?"out":""} ${p.door_open?"open":""}"
                        title=${p.order_id??""}
                      >
                        <b>${p.number}</b> ${r.t(`contents.${p.contents}`)}
                        ${p.door_open?i`<div>${r.t("manager.door_open")}</div>`:d}
                        ${p.out_of_service?i`<div>${r.t("manager.out_of_service")}</div>`:d}
                      </div>`)}
                  </div>
                  ${h.show_stock===!1||!c.stock.length?d:i`<h3>${r.t("manager.stock")}</h3>
                        <table>
                          ${c.stock.map(p=>i`<tr><td>${p.name}</td><td class=${p.low?"low":""}>${p.on_hand}</td></tr>`)}
                        </table>`}
                </div>`)}
            </section>`}
      </div>
    </ha-card>`}_orders(e){let t=this.tr;return i`<table>
      ${e.map(r=>i`<tr data-order=${r.order_id}>
          <td>${r.order_id}</td>
          <td>${t.service(r.service_type,r.service,r.service_names)}</td>
          <td>${r.room??r.address??""}</td>
          <td><span class="chip ${r.state}">${t.t(`manager_state.${r.state}`)}</span></td>
          <td>${r.worker??""}</td>
          <td>
            ${r.escalated?i`<span class="chip escalated">${t.t("manager.escalations")}</span>`:d}
            ${r.overdue?i`<span class="chip overdue">${t.t("manager.overdue")}</span>`:r.due_at&&!r.started_at?t.t("manager.due",{time:t.time(r.due_at)}):d}
          </td>
        </tr>`)}
    </table>`}};function W(o){return o.callWS({type:"doorservice/faces"})}function C(o,s,e){return o.callService("doorservice",s,e,void 0,!1,!1)}function N(o){return o&&typeof o=="object"&&"message"in o?String(o.message):String(o)}var K=class extends b{constructor(){super(...arguments);this.faceName="room";this._quantity=1;this._busy=!1;this._send=async()=>{let e=this._face,t=this._choice;t&&await this._run(async()=>{await C(this.hass,"request_service",{room:e.room_id,service_type:t.service_type,quantity:this._quantity}),this._choice=void 0},this.tr.t("room.sent",{service:this.tr.service(t.service_type,t.name,t.names)}))};this._toggleDnd=async()=>{let e=this._face;await this._run(()=>C(this.hass,"set_do_not_disturb",{room:e.room_id,on:!e.do_not_disturb}))}}static{this.properties={...b.properties,_choice:{state:!0},_quantity:{state:!0},_toast:{state:!0},_busy:{state:!0},_hand:{state:!0}}}static{this.styles=[T,$`
      .columns { display: flex; gap: 24px; align-items: flex-start; }
      .columns.right { flex-direction: row-reverse; }
      .columns > section { flex: 1 1 0; min-width: 0; }
      .buttons { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
      .buttons button { text-align: left; min-height: 64px; }
      .buttons .price { display: block; font-size: 0.85em; color: var(--ds-muted); }
      .confirm { border: 2px solid var(--ds-accent); border-radius: 12px; padding: 16px; margin-bottom: 12px; }
      .confirm .big { font-size: 1.3em; font-weight: 500; }
      .request { padding: 10px 0; border-bottom: 1px solid var(--divider-color, #e0e0e0); }
      .request .who { font-size: 1.1em; }
      .lines td:last-child, .lines th:last-child { text-align: right; }
      .hand button { min-height: 36px; padding: 4px 10px; }
      @media (max-width: 700px) { .columns, .columns.right { flex-direction: column; } }
    `]}static getConfigElement(){return document.createElement("doorservice-room-card-editor")}static getStubConfig(){return{type:"custom:doorservice-room-card"}}getCardSize(){return 8}getGridOptions(){return{columns:"full",rows:8}}render(){let e=this.renderStatus();if(e)return e;let t=this._face,r=this.tr,n=this._hand??t.handedness,a=this._config;return i`
      <ha-card>
        <div class="spread">
          <div>
            <h1>${t.room}</h1>
            ${t.stay?i`<div class="muted">${t.stay.guest_name}</div>`:d}
          </div>
          <div class="row">
            ${a.show_handedness_switch===!1?d:i`<div class="row hand" role="group">
                  ${["left","right"].map(h=>i`<button
                      class=${n===h?"on":""}
                      data-hand=${h}
                      @click=${()=>this._setHand(h)}
                    >
                      ${r.t(`room.${h}`)}
                    </button>`)}
                </div>`}
            <button
              class=${t.do_not_disturb?"on":""}
              data-action="dnd"
              @click=${this._toggleDnd}
            >
              ${t.do_not_disturb?r.t("room.dnd_on"):r.t("room.dnd")}
            </button>
          </div>
        </div>
        <div class="columns ${n}">
          <section class="actions">${this._renderRequests(t)}</section>
          <section class="status">
            ${this._renderStatusList(t)}
            ${a.show_appliances===!1?d:this._renderAppliances(t)}
            ${a.show_bill===!1?d:this._renderBill(t)}
          </section>
        </div>
        ${this._toast?i`<div class="toast ${this._toast.error?"error":""}" role="status">
              ${this._toast.text}
            </div>`:d}
      </ha-card>
    `}_renderRequests(e){let t=this.tr;if(!e.may_request)return i`<h2>${t.t("room.requests")}</h2><p class="muted">${t.t("room.no_stay")}</p>`;let r=this._choice;return i`
      <h2>${t.t("room.requests")}</h2>
      ${r?i`<div class="confirm">
            <div class="big">${t.service(r.service_type,r.name,r.names)}</div>
            <div>${t.money(r.price,e.currency)}${r.paid&&this._quantity>1?i` × ${this._quantity} = ${t.money(String(Number(r.price)*this._quantity),e.currency)}`:d}</div>
            <div class="row" style="margin: 8px 0">
              <span>${t.t("room.quantity")}</span>
              <button @click=${()=>this._quantity=Math.max(1,this._quantity-1)}>−</button>
              <span data-quantity>${this._quantity}</span>
              <button @click=${()=>this._quantity=Math.min(99,this._quantity+1)}>+</button>
            </div>
            <div class="row">
              <button class="primary" data-action="confirm" ?disabled=${this._busy} @click=${this._send}>
                ${t.t("room.confirm")}
              </button>
              <button data-action="back" @click=${()=>this._choice=void 0}>${t.t("room.cancel")}</button>
            </div>
          </div>`:d}
      ${Qe(e.catalog,n=>n.category).map(([n,a])=>i`
          <h3>${t.category(n)}</h3>
          <div class="buttons">
            ${a.map(h=>i`<button
                data-service=${h.service_type}
                @click=${()=>{this._choice=h,this._quantity=1}}
              >
                ${t.service(h.service_type,h.name,h.names)}
                <span class="price">${t.money(h.price,e.currency)}</span>
              </button>`)}
          </div>
        `)}
    `}_renderStatusList(e){let t=this.tr;return i`
      <h2>${t.t("room.status")}</h2>
      ${e.requests.length||e.finished.length?d:i`<p class="muted">${t.t("room.none")}</p>`}
      ${e.requests.map(r=>this._renderRequest(r))}
      ${e.finished.length?i`<h3>${t.t("room.recent")}</h3>${e.finished.map(r=>this._renderRequest(r))}`:d}
    `}_renderRequest(e){let t=this.tr,r=e.state==="completed"||e.state==="closed";return i`<div class="request" data-order=${e.order_id} data-state=${e.state}>
      <div class="spread">
        <span class="who">${t.service(e.service_type,e.service,e.service_names)}${e.quantity>1?` \xD7 ${e.quantity}`:""}</span>
        <span class="chip ${e.state}">${t.t(`state.${e.state}`)}</span>
      </div>
      <div class="muted">
        ${e.worker?i`<span data-worker>${t.t("room.by",{worker:e.worker})}</span> · `:d}
        ${r?t.t("room.done_at",{time:t.time(e.done_at)}):e.eta?t.t("room.eta",{time:t.time(e.eta)}):d}
      </div>
    </div>`}_renderAppliances(e){if(!e.appliances||!e.appliances.length)return d;let t=this.tr;return i`
      <h2>${t.t("room.appliances")}</h2>
      <div class="row">
        ${e.appliances.map(r=>{let n=r.state==="on"||r.state==="open";return i`<button
            class=${n?"on":""}
            data-appliance=${r.appliance}
            @click=${()=>this._toggleAppliance(e,r.appliance,r.kind,n)}
          >
            ${r.name}: ${t.t(`appliance.${r.state}`)}
          </button>`})}
      </div>
    `}_renderBill(e){if(!e.bill)return d;let t=this.tr,r=e.bill;return i`
      <h2>${t.t("room.bill")}</h2>
      ${r.lines.length?i`<table class="lines">
            ${r.lines.map(n=>i`<tr>
                <td>${n.description}${n.quantity>1?` \xD7 ${n.quantity}`:""}</td>
                <td>${t.money(n.amount,r.currency)}</td>
              </tr>`)}
            <tr>
              <th>${t.t("room.total")}</th>
              <th data-total>${t.money(r.total,r.currency)}</th>
            </tr>
          </table>`:i`<p class="muted">${t.t("room.bill_empty")}</p>`}
    `}_notify(e,t=!1){this._toast={text:e,error:t},window.clearTimeout(this._toastTimer),this._toastTimer=window.setTimeout(()=>this._toast=void 0,t?8e3:5e3)}async _run(e,t){this._busy=!0;try{await e(),t&&this._notify(t)}catch(r){this._notify(N(r),!0)}finally{this._busy=!1}}async _toggleAppliance(e,t,r,n){let a=r==="cover"?n?"closed":"open":n?"off":"on";await this._run(()=>C(this.hass,"request_appliance_change",{room:e.room_id,appliance:t,state:a,reason:"room terminal"}))}async _setHand(e){this._hand=e;let t=this._face?.handedness_entity;if(t)try{await this.hass.callService("select","select_option",{option:e},{entity_id:t},!1),this._hand=void 0}catch{}}};function Qe(o,s){let e=new Map;for(let t of o){let r=s(t);e.has(r)||e.set(r,[]),e.get(r).push(t)}return[...e.entries()]}var et={left:"next",right:"previous"},tt=50,G=class extends b{constructor(){super(...arguments);this.faceName="staff";this._open=new Set;this._reason="";this._busy=!1;this._down=e=>{e.pointerType!=="touch"&&(this._start={x:e.clientX,y:e.clientY})};this._touchStart=e=>{let t=e.changedTouches[0];this._start={x:t.clientX,y:t.clientY}};this._sendPending=async()=>{let e=this._pending;if(!e)return;let t=this._reason.trim(),r;"order"in e?r=await this._call(e.action,{order_id:e.order.order_id,worker:this._face.worker_id,...t?{reason:t}:{}}):r=await this._callRoom({room:e.room.room_id,appliance:e.appliance.appliance,state:e.state,reason:t||"staff terminal"}),r&&(this._pending=void 0)}}static{this.properties={...b.properties,_category:{state:!0},_open:{state:!0},_pending:{state:!0},_reason:{state:!0},_toast:{state:!0},_busy:{state:!0}}}static{this.styles=[T,$`
      ha-card { max-width: 560px; margin: 0 auto; touch-action: pan-y; }
      .tabs { display: flex; gap: 6px; overflow-x: auto; padding-bottom: 4px; }
      .tabs button { flex: 0 0 auto; min-height: 36px; padding: 4px 12px; }
      .tabs .count { font-size: 0.8em; margin-left: 4px; opacity: 0.8; }
      .tabs .has-offers { border-color: var(--ds-accent); border-width: 2px; }
      .order { border: 1px solid var(--divider-color, #e0e0e0); border-radius: 12px; padding: 12px; margin: 10px 0; }
      .order.offered { border-color: var(--ds-accent); border-width: 2px; }
      .order .title { font-size: 1.1em; font-weight: 500; }
      .actions { margin-top: 10px; }
      .actions button { flex: 1 1 0; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 8px 0 0; }
      dt { color: var(--ds-muted); }
      dd { margin: 0; }
      .swipe-area { min-height: 240px; }
      .hint { font-size: 0.8em; text-align: center; margin-top: 8px; }
    `]}static getConfigElement(){return document.createElement("doorservice-staff-card-editor")}static getStubConfig(){return{type:"custom:doorservice-staff-card"}}getCardSize(){return 8}_categories(e){let t=this._config?.categories?.length?this._config.categories:e.categories,r=new Set(e.orders.map(a=>a.category)),n=t.filter(a=>this._config?.show_empty_categories!==!1||r.has(a));for(let a of r)n.includes(a)||n.push(a);return n.length?n:e.categories.slice(0,1)}_current(e){if(this._category&&e.includes(this._category))return this._category;let t=this._config?.start_category;return t&&e.includes(t)?t:e[0]}render(){let e=this.renderStatus();if(e)return e;let t=this._face,r=this.tr,n=this._categories(t),a=this._current(n),h=t.orders.filter(l=>l.category===a),c=h.filter(l=>l.offered),p=h.filter(l=>!l.offered);return i`
      <ha-card>
        <div class="spread">
          <h1>${t.worker}</h1>
          <span class="chip">${t.on_duty?r.t("staff.on_duty"):r.t("staff.off_duty")}</span>
        </div>
        <div class="tabs" role="tablist">
          ${n.map(l=>{let u=t.orders.filter(f=>f.category===l).length,g=t.orders.some(f=>f.category===l&&f.offered);return i`<button
              role="tab"
              class="${l===a?"on":""} ${g?"has-offers":""}"
              aria-selected=${l===a}
              data-category=${l}
              @click=${()=>this._category=l}
            >
              ${r.category(l)}${u?i`<span class="count">${u}</span>`:d}
            </button>`})}
        </div>
        <div
          class="swipe-area"
          data-current-category=${a}
          @pointerdown=${this._down}
          @pointerup=${l=>this._up(l,n,a)}
          @touchstart=${this._touchStart}
          @touchend=${l=>this._touchEnd(l,n,a)}
        >
          ${this._renderPending()}
          ${c.length?i`<h2>${r.t("staff.offers")}</h2>${c.map(l=>this._renderOrder(l))}`:d}
          ${p.length?i`<h2>${r.t("staff.work")}</h2>${p.map(l=>this._renderOrder(l))}`:d}
          ${h.length?d:i`<p class="muted">${r.t("staff.nothing",{category:r.category(a)})}</p>`}
          <div class="hint muted">${r.t("staff.swipe")}</div>
        </div>
        ${this._renderRooms(t)}
        ${this._toast?i`<div class="toast ${this._toast.error?"error":""}" role="status">${this._toast.text}</div>`:d}
      </ha-card>
    `}_renderOrder(e){let t=this.tr,r=this._face,n=this._open.has(e.order_id)||!!e.mine,a=e.room??e.address??"";return i`<div class="order ${e.offered?"offered":""}" data-order=${e.order_id} data-state=${e.state}>
      <div class="spread">
        <span class="title">${t.service(e.service_type,e.service,e.service_names)}${e.quantity>1?` \xD7 ${e.quantity}`:""}</span>
        <span class="chip ${e.overdue?"overdue":e.state}">${t.t(`staff_state.${e.state}`)}</span>
      </div>
      <div class="muted">${a} · ${t.time(e.created_at)}</div>
      ${n?i`<dl>
            ${e.room?i`<dt>${t.t("staff.room")}</dt><dd>${e.room}</dd>`:d}
            ${e.address?i`<dt>${t.t("staff.address")}</dt><dd>${e.address}</dd>`:d}
            <dt>${t.t("staff.price")}</dt><dd>${t.money(e.total_price,r.currency)}</dd>
            ${e.due_at?i`<dt>${t.t("staff.due")}</dt><dd>${t.time(e.due_at)}</dd>`:d}
            ${e.message?i`<dt>${t.t("staff.message")}</dt><dd>${e.message}</dd>`:d}
            ${e.key?this._renderKey(e):d}
          </dl>`:i`<button
            style="min-height: 32px; padding: 2px 8px; margin-top: 6px"
            @click=${()=>{this._open=new Set([...this._open,e.order_id])}}
          >
            ${t.t("staff.details")}
          </button>`}
      <div class="row actions">${this._actions(e)}</div>
    </div>`}_renderKey(e){let t=this.tr,r=e.key,n=r.holder,a=n.kind==="compartment"?t.t("staff.key_compartment",{cabinet:n.cabinet,number:n.number}):n.kind==="worker"?t.t("staff.key_worker",{worker:n.worker}):t.t("staff.key_owner");return i`
      ${r.has_key?i`<dt>${t.t("staff.key")}</dt><dd>${a}</dd>`:d}
      ${r.compartments.map(h=>i`<dt></dt><dd>${t.t("staff.items",{cabinet:h.cabinet,number:h.number})}</dd>`)}
      <dt></dt><dd class="muted">${t.t("staff.code")}</dd>
    `}_actions(e){let t=this.tr,r=(n,a,h="")=>i`<button class=${h} data-action=${n} ?disabled=${this._busy} @click=${()=>this._act(e,n)}>
        ${t.t(a)}
      </button>`;if(e.offered)return[r("accept_order","staff.accept","good"),r("decline_order","staff.decline","bad")];switch(e.state){case"accepted":return[r("start_order","staff.start","primary"),r("give_back_order","staff.give_back","bad")];case"in_progress":return[r("complete_order","staff.done","good")];default:return[]}}_renderPending(){let e=this._pending;if(!e)return d;let t=this.tr,r="order"in e?`${t.t(e.action==="decline_order"?"staff.decline":"staff.give_back")}: ${t.service(e.order.service_type,e.order.service,e.order.service_names)}`:`${t.t("staff.change")}: ${e.room.room} \xB7 ${e.appliance.name} \u2192 ${t.t(`appliance.${e.state}`)}`;return i`<div class="order offered">
      <div class="title">${r}</div>
      <label>
        ${t.t("order"in e?"staff.reason":"staff.change_reason")}
        <input
          data-field="reason"
          .value=${this._reason}
          @input=${n=>this._reason=n.target.value}
        />
      </label>
      <div class="row actions">
        <button class="primary" data-action="send" ?disabled=${this._busy} @click=${this._sendPending}>${t.t("staff.send")}</button>
        <button @click=${()=>this._pending=void 0}>${t.t("staff.cancel")}</button>
      </div>
    </div>`}_renderRooms(e){if(!e.rooms.length)return d;let t=this.tr;return i`
      <h2>${t.t("staff.rooms")}</h2>
      ${e.rooms.map(r=>i`<div class="order" data-room=${r.room_id}>
          <div class="spread">
            <span class="title">${r.room}</span>
            ${r.board_available?d:i`<span class="chip overdue">${t.t("staff.board_offline")}</span>`}
          </div>
          <div class="row actions">
            ${r.appliances.map(n=>{let a=n.state==="on"||n.state==="open",h=n.kind==="cover"?a?"closed":"open":a?"off":"on";return i`<button
                class=${a?"on":""}
                data-appliance=${n.appliance}
                @click=${()=>{this._pending={room:r,appliance:n,state:h},this._reason=""}}
              >
                ${n.name}: ${t.t(`appliance.${n.state}`)}
              </button>`})}
          </div>
        </div>`)}
    `}_up(e,t,r){e.pointerType==="touch"||!this._start||(this._swipe(e.clientX-this._start.x,e.clientY-this._start.y,t,r),this._start=void 0)}_touchEnd(e,t,r){let n=e.changedTouches[0];!this._start||!n||(this._swipe(n.clientX-this._start.x,n.clientY-this._start.y,t,r),this._start=void 0)}_swipe(e,t,r,n){let a=Math.abs(e)>=Math.abs(t);if(Math.abs(a?e:t)<tt)return;let c=a?e<0?"left":"right":t<0?"up":"down",l={...et,...this._config?.swipe??{}}[c];if(!l||l==="none")return;let u=r.indexOf(n);l==="next"?this._category=r[(u+1)%r.length]:l==="previous"?this._category=r[(u-1+r.length)%r.length]:r.includes(l)&&(this._category=l)}_notify(e,t=!1){this._toast={text:e,error:t},window.clearTimeout(this._toastTimer),this._toastTimer=window.setTimeout(()=>this._toast=void 0,t?8e3:3e3)}async _call(e,t){this._busy=!0;try{return await C(this.hass,e,{site:this._face.site,...t}),!0}catch(r){return this._notify(N(r),!0),!1}finally{this._busy=!1}}async _act(e,t){if(t==="decline_order"||t==="give_back_order"){this._pending={order:e,action:t},this._reason="";return}let r={order_id:e.order_id,worker:this._face.worker_id};await this._call(t,r)&&(this._category=e.category)}async _callRoom(e){this._busy=!0;try{return await C(this.hass,"request_appliance_change",e),!0}catch(t){return this._notify(N(t),!0),!1}finally{this._busy=!1}}};var qe=o=>o.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g,"-").replace(/^-|-$/g,"")||"view",Y=class extends HTMLElement{static async generate(s,e){let t=await W(e),r=[],n=new Set,a=p=>{let l=qe(p);for(let u=2;n.has(l);u++)l=`${qe(p)}-${u}`;return n.add(l),l},h=t.sites.filter(p=>!s.site||p.site===s.site||p.name===s.site),c=h.length>1;for(let p of h){let l=c?`${p.name} \xB7 `:"";if(p.manager&&s.manager!==!1&&r.push({title:`${l}${p.site_type==="hotel"?"Manager":"Overview"}`,path:a(`${p.name}-manager`),type:"panel",cards:[{type:"custom:doorservice-manager-card",site:p.site}]}),s.workers!==!1)for(let u of p.workers)r.push({title:`${l}${u.name}`,path:a(u.name),type:"panel",cards:[{type:"custom:doorservice-staff-card",site:p.site,worker:u.id,...s.swipe?{swipe:s.swipe}:{}}]});if(s.rooms!==!1)for(let u of p.rooms)r.push({title:`${l}${u.name}`,path:a(u.name),type:"panel",cards:[{type:"custom:doorservice-room-card",site:p.site,room:u.id}]})}return r.length||r.push({title:"Door Service",cards:[{type:"markdown",content:"This user is neither a manager, a worker nor a room terminal of a Door Service site."}]}),{title:"Door Service",views:r}}};var st={site:["Site","\u7AD9\u70B9"],room:["Room","\u623F\u95F4"],worker:["Worker","\u5458\u5DE5"],language:["Language (empty: the user's)","\u8BED\u8A00\uFF08\u7559\u7A7A\uFF1A\u7528\u6237\u7684\u8BED\u8A00\uFF09"],show_bill:["Show the bill","\u663E\u793A\u8D26\u5355"],show_appliances:["Show the appliances","\u663E\u793A\u8BBE\u5907"],show_handedness_switch:["Show the left/right switch","\u663E\u793A\u5DE6\u53F3\u624B\u5207\u6362"],swipe_left:["Swipe left goes to","\u5411\u5DE6\u6ED1\u52A8\u5207\u6362\u5230"],swipe_right:["Swipe right goes to","\u5411\u53F3\u6ED1\u52A8\u5207\u6362\u5230"],swipe_up:["Swipe up goes to","\u5411\u4E0A\u6ED1\u52A8\u5207\u6362\u5230"],swipe_down:["Swipe down goes to","\u5411\u4E0B\u6ED1\u52A8\u5207\u6362\u5230"],show_empty_categories:["Show categories without orders","\u663E\u793A\u6CA1\u6709\u8BA2\u5355\u7684\u7C7B\u522B"],show_cabinets:["Show the cabinets","\u663E\u793A\u50A8\u7269\u67DC"],show_stock:["Show the stock","\u663E\u793A\u5E93\u5B58"]},U=class extends _{constructor(){super(...arguments);this._loading=!1;this._changed=e=>{e.stopPropagation();let t={...e.detail.value};for(let[r,n]of Object.entries(t))(n===""||n===void 0)&&delete t[r];this._config=this.fromForm(t),Me(this,"config-changed",{config:this._config})}}static{this.properties={hass:{attribute:!1},_config:{state:!0},_faces:{state:!0}}}setConfig(e){this._config=e}connectedCallback(){super.connectedCallback(),this.hass&&!this._faces&&this._load()}updated(){this.hass&&!this._faces&&this._load()}async _load(){if(!this._loading){this._loading=!0;try{this._faces=await W(this.hass)}catch{this._faces={roles:[],sites:[]}}}}siteOptions(){return(this._faces?.sites??[]).map(e=>({value:e.site,label:e.name}))}site(){let e=this._faces?.sites??[],t=e.find(n=>n.site===this._config?.site||n.name===this._config?.site);if(t||e.length===1)return t??e[0];let r=(n,a)=>`${a} (${n.name})`;return{rooms:e.flatMap(n=>n.rooms.map(a=>({id:a.id,name:r(n,a.name)}))),workers:e.flatMap(n=>n.workers.map(a=>({id:a.id,name:r(n,a.name)})))}}toForm(e){return{...e}}fromForm(e){return e}render(){if(!this.hass||!this._config)return i``;let e=new A(this.hass);return i`<ha-form
      .hass=${this.hass}
      .data=${this.toForm(this._config)}
      .schema=${this.schema()}
      .computeLabel=${t=>st[t.name]?.[e.lang==="zh"?1:0]??t.name}
      @value-changed=${this._changed}
    ></ha-form>`}},m=o=>({select:{mode:"dropdown",options:o,custom_value:!0}}),fe=[{value:"en",label:"English"},{value:"zh-Hans",label:"\u4E2D\u6587"}],X=class extends U{schema(){let s=(this.site()?.rooms??[]).map(e=>({value:e.id,label:e.name}));return[{name:"site",selector:m(this.siteOptions())},{name:"room",selector:m(s)},{name:"language",selector:m(fe)},{name:"show_bill",selector:{boolean:{}},default:!0},{name:"show_appliances",selector:{boolean:{}},default:!0},{name:"show_handedness_switch",selector:{boolean:{}},default:!0}]}},J=class extends U{schema(){let e=(this.site()?.workers??[]).map(n=>({value:n.id,label:n.name})),t=new A(this.hass),r=[{value:"next",label:t.lang==="zh"?"\u4E0B\u4E00\u4E2A\u7C7B\u522B":"Next category"},{value:"previous",label:t.lang==="zh"?"\u4E0A\u4E00\u4E2A\u7C7B\u522B":"Previous category"},{value:"none",label:t.lang==="zh"?"\u65E0":"Nothing"},...["cleaning","linen","food","maintenance","concierge"].map(n=>({value:n,label:t.category(n)}))];return[{name:"site",selector:m(this.siteOptions())},{name:"worker",selector:m(e)},{name:"language",selector:m(fe)},{name:"swipe_left",selector:m(r)},{name:"swipe_right",selector:m(r)},{name:"swipe_up",selector:m(r)},{name:"swipe_down",selector:m(r)},{name:"show_empty_categories",selector:{boolean:{}},default:!0}]}toForm(s){let{swipe:e,...t}=s,r={...t};for(let[n,a]of Object.entries(e??{}))r[`swipe_${n}`]=a;return r}fromForm(s){let e={},t={};for(let[r,n]of Object.entries(s))r.startsWith("swipe_")?t[r.slice(6)]=String(n):e[r]=n;return Object.keys(t).length&&(e.swipe=t),e}},Z=class extends U{schema(){return[{name:"site",selector:m(this.siteOptions())},{name:"language",selector:m(fe)},{name:"show_cabinets",selector:{boolean:{}},default:!0},{name:"show_stock",selector:{boolean:{}},default:!0}]}};var rt=[["doorservice-room-card",K],["doorservice-staff-card",G],["doorservice-manager-card",j],["doorservice-room-card-editor",X],["doorservice-staff-card-editor",J],["doorservice-manager-card-editor",Z],["ll-strategy-dashboard-doorservice",Y]],He=()=>{let o=!1;for(let[s,e]of rt)if(!customElements.get(s)){o=!0;try{customElements.define(s,e)}catch{}}return o},nt=customElements.define;He();var ot=0,at=window.setInterval(()=>{let o=He();(customElements.define!==nt&&!o||++ot>=600)&&window.clearInterval(at)},100),Q=window;Q.customCards=Q.customCards??[];for(let o of[["doorservice-room-card","Door Service room terminal","A guest room's wall tablet: requests with prices, their status, do not disturb, appliances and the bill."],["doorservice-staff-card","Door Service staff terminal","A worker's phone: offers and work by category (swipe to switch), accept, decline, start, done, give back."],["doorservice-manager-card","Door Service manager board","Open orders by state and SLA, escalations, cabinets, stock and response times per worker."]])Q.customCards.some(s=>s.type===o[0])||Q.customCards.push({type:o[0],name:o[1],description:o[2],documentationURL:"https://github.com/doorservice/doorservice#faces"});
