var D=globalThis,I=D.ShadowRoot&&(D.ShadyCSS===void 0||D.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,tt=Symbol(),mt=new WeakMap,P=class{constructor(s,t,e){if(this._$cssResult$=!0,e!==tt)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=s,this.t=t}get styleSheet(){let s=this.o,t=this.t;if(I&&s===void 0){let e=t!==void 0&&t.length===1;e&&(s=mt.get(t)),s===void 0&&((this.o=s=new CSSStyleSheet).replaceSync(this.cssText),e&&mt.set(t,s))}return s}toString(){return this.cssText}},gt=o=>new P(typeof o=="string"?o:o+"",void 0,tt),$=(o,...s)=>{let t=o.length===1?o[0]:s.reduce((e,r,n)=>e+(i=>{if(i._$cssResult$===!0)return i.cssText;if(typeof i=="number")return i;throw Error("Value passed to 'css' function must be a 'css' function result: "+i+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(r)+o[n+1],o[0]);return new P(t,o,tt)},_t=(o,s)=>{if(I)o.adoptedStyleSheets=s.map(t=>t instanceof CSSStyleSheet?t:t.styleSheet);else for(let t of s){let e=document.createElement("style"),r=D.litNonce;r!==void 0&&e.setAttribute("nonce",r),e.textContent=t.cssText,o.appendChild(e)}},et=I?o=>o:o=>o instanceof CSSStyleSheet?(s=>{let t="";for(let e of s.cssRules)t+=e.cssText;return gt(t)})(o):o;var{is:Ft,defineProperty:Nt,getOwnPropertyDescriptor:zt,getOwnPropertyNames:Ut,getOwnPropertySymbols:Lt,getPrototypeOf:Dt}=Object,V=globalThis,bt=V.trustedTypes,It=bt?bt.emptyScript:"",Vt=V.reactiveElementPolyfillSupport,O=(o,s)=>o,st={toAttribute(o,s){switch(s){case Boolean:o=o?It:null;break;case Object:case Array:o=o==null?o:JSON.stringify(o)}return o},fromAttribute(o,s){let t=o;switch(s){case Boolean:t=o!==null;break;case Number:t=o===null?null:Number(o);break;case Object:case Array:try{t=JSON.parse(o)}catch{t=null}}return t}},yt=(o,s)=>!Ft(o,s),$t={attribute:!0,type:String,converter:st,reflect:!1,useDefault:!1,hasChanged:yt};Symbol.metadata??=Symbol("metadata"),V.litPropertyMetadata??=new WeakMap;var y=class extends HTMLElement{static addInitializer(s){this._$Ei(),(this.l??=[]).push(s)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(s,t=$t){if(t.state&&(t.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(s)&&((t=Object.create(t)).wrapped=!0),this.elementProperties.set(s,t),!t.noAccessor){let e=Symbol(),r=this.getPropertyDescriptor(s,e,t);r!==void 0&&Nt(this.prototype,s,r)}}static getPropertyDescriptor(s,t,e){let{get:r,set:n}=zt(this.prototype,s)??{get(){return this[t]},set(i){this[t]=i}};return{get:r,set(i){let h=r?.call(this);n?.call(this,i),this.requestUpdate(s,h,e)},configurable:!0,enumerable:!0}}static getPropertyOptions(s){return this.elementProperties.get(s)??$t}static _$Ei(){if(this.hasOwnProperty(O("elementProperties")))return;let s=Dt(this);s.finalize(),s.l!==void 0&&(this.l=[...s.l]),this.elementProperties=new Map(s.elementProperties)}static finalize(){if(this.hasOwnProperty(O("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(O("properties"))){let t=this.properties,e=[...Ut(t),...Lt(t)];for(let r of e)this.createProperty(r,t[r])}let s=this[Symbol.metadata];if(s!==null){let t=litPropertyMetadata.get(s);if(t!==void 0)for(let[e,r]of t)this.elementProperties.set(e,r)}this._$Eh=new Map;for(let[t,e]of this.elementProperties){let r=this._$Eu(t,e);r!==void 0&&this._$Eh.set(r,t)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(s){let t=[];if(Array.isArray(s)){let e=new Set(s.flat(1/0).reverse());for(let r of e)t.unshift(et(r))}else s!==void 0&&t.push(et(s));return t}static _$Eu(s,t){let e=t.attribute;return e===!1?void 0:typeof e=="string"?e:typeof s=="string"?s.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(s=>this.enableUpdating=s),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(s=>s(this))}addController(s){(this._$EO??=new Set).add(s),this.renderRoot!==void 0&&this.isConnected&&s.hostConnected?.()}removeController(s){this._$EO?.delete(s)}_$E_(){let s=new Map,t=this.constructor.elementProperties;for(let e of t.keys())this.hasOwnProperty(e)&&(s.set(e,this[e]),delete this[e]);s.size>0&&(this._$Ep=s)}createRenderRoot(){let s=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return _t(s,this.constructor.elementStyles),s}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(s=>s.hostConnected?.())}enableUpdating(s){}disconnectedCallback(){this._$EO?.forEach(s=>s.hostDisconnected?.())}attributeChangedCallback(s,t,e){this._$AK(s,e)}_$ET(s,t){let e=this.constructor.elementProperties.get(s),r=this.constructor._$Eu(s,e);if(r!==void 0&&e.reflect===!0){let n=(e.converter?.toAttribute!==void 0?e.converter:st).toAttribute(t,e.type);this._$Em=s,n==null?this.removeAttribute(r):this.setAttribute(r,n),this._$Em=null}}_$AK(s,t){let e=this.constructor,r=e._$Eh.get(s);if(r!==void 0&&this._$Em!==r){let n=e.getPropertyOptions(r),i=typeof n.converter=="function"?{fromAttribute:n.converter}:n.converter?.fromAttribute!==void 0?n.converter:st;this._$Em=r;let h=i.fromAttribute(t,n.type);this[r]=h??this._$Ej?.get(r)??h,this._$Em=null}}requestUpdate(s,t,e,r=!1,n){if(s!==void 0){let i=this.constructor;if(r===!1&&(n=this[s]),e??=i.getPropertyOptions(s),!((e.hasChanged??yt)(n,t)||e.useDefault&&e.reflect&&n===this._$Ej?.get(s)&&!this.hasAttribute(i._$Eu(s,e))))return;this.C(s,t,e)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(s,t,{useDefault:e,reflect:r,wrapped:n},i){e&&!(this._$Ej??=new Map).has(s)&&(this._$Ej.set(s,i??t??this[s]),n!==!0||i!==void 0)||(this._$AL.has(s)||(this.hasUpdated||e||(t=void 0),this._$AL.set(s,t)),r===!0&&this._$Em!==s&&(this._$Eq??=new Set).add(s))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(t){Promise.reject(t)}let s=this.scheduleUpdate();return s!=null&&await s,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[r,n]of this._$Ep)this[r]=n;this._$Ep=void 0}let e=this.constructor.elementProperties;if(e.size>0)for(let[r,n]of e){let{wrapped:i}=n,h=this[r];i!==!0||this._$AL.has(r)||h===void 0||this.C(r,void 0,n,h)}}let s=!1,t=this._$AL;try{s=this.shouldUpdate(t),s?(this.willUpdate(t),this._$EO?.forEach(e=>e.hostUpdate?.()),this.update(t)):this._$EM()}catch(e){throw s=!1,this._$EM(),e}s&&this._$AE(t)}willUpdate(s){}_$AE(s){this._$EO?.forEach(t=>t.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(s)),this.updated(s)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(s){return!0}update(s){this._$Eq&&=this._$Eq.forEach(t=>this._$ET(t,this[t])),this._$EM()}updated(s){}firstUpdated(s){}};y.elementStyles=[],y.shadowRootOptions={mode:"open"},y[O("elementProperties")]=new Map,y[O("finalized")]=new Map,Vt?.({ReactiveElement:y}),(V.reactiveElementVersions??=[]).push("2.1.2");var dt=globalThis,vt=o=>o,B=dt.trustedTypes,wt=B?B.createPolicy("lit-html",{createHTML:o=>o}):void 0,Et="$lit$",v=`lit$${Math.random().toFixed(9).slice(2)}$`,Rt="?"+v,Bt=`<${Rt}>`,k=document,q=()=>k.createComment(""),H=o=>o===null||typeof o!="object"&&typeof o!="function",lt=Array.isArray,jt=o=>lt(o)||typeof o?.[Symbol.iterator]=="function",rt=`[ 	
\f\r]`,M=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,xt=/-->/g,kt=/>/g,w=RegExp(`>|${rt}(?:([^\\s"'>=/]+)(${rt}*=${rt}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),St=/'/g,At=/"/g,Tt=/^(?:script|style|textarea|title)$/i,pt=o=>(s,...t)=>({_$litType$:o,strings:s,values:t}),a=pt(1),pe=pt(2),he=pt(3),S=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Ct=new WeakMap,x=k.createTreeWalker(k,129);function Pt(o,s){if(!lt(o)||!o.hasOwnProperty("raw"))throw Error("invalid template strings array");return wt!==void 0?wt.createHTML(s):s}var Wt=(o,s)=>{let t=o.length-1,e=[],r,n=s===2?"<svg>":s===3?"<math>":"",i=M;for(let h=0;h<t;h++){let c=o[h],p,l,u=-1,g=0;for(;g<c.length&&(i.lastIndex=g,l=i.exec(c),l!==null);)g=i.lastIndex,i===M?l[1]==="!--"?i=xt:l[1]!==void 0?i=kt:l[2]!==void 0?(Tt.test(l[2])&&(r=RegExp("</"+l[2],"g")),i=w):l[3]!==void 0&&(i=w):i===w?l[0]===">"?(i=r??M,u=-1):l[1]===void 0?u=-2:(u=i.lastIndex-l[2].length,p=l[1],i=l[3]===void 0?w:l[3]==='"'?At:St):i===At||i===St?i=w:i===xt||i===kt?i=M:(i=w,r=void 0);let f=i===w&&o[h+1].startsWith("/>")?" ":"";n+=i===M?c+Bt:u>=0?(e.push(p),c.slice(0,u)+Et+c.slice(u)+v+f):c+v+(u===-2?h:f)}return[Pt(o,n+(o[t]||"<?>")+(s===2?"</svg>":s===3?"</math>":"")),e]},F=class o{constructor({strings:s,_$litType$:t},e){let r;this.parts=[];let n=0,i=0,h=s.length-1,c=this.parts,[p,l]=Wt(s,t);if(this.el=o.createElement(p,e),x.currentNode=this.el.content,t===2||t===3){let u=this.el.content.firstChild;u.replaceWith(...u.childNodes)}for(;(r=x.nextNode())!==null&&c.length<h;){if(r.nodeType===1){if(r.hasAttributes())for(let u of r.getAttributeNames())if(u.endsWith(Et)){let g=l[i++],f=r.getAttribute(u).split(v),L=/([.?@])?(.*)/.exec(g);c.push({type:1,index:n,name:L[2],strings:f,ctor:L[1]==="."?ot:L[1]==="?"?it:L[1]==="@"?at:R}),r.removeAttribute(u)}else u.startsWith(v)&&(c.push({type:6,index:n}),r.removeAttribute(u));if(Tt.test(r.tagName)){let u=r.textContent.split(v),g=u.length-1;if(g>0){r.textContent=B?B.emptyScript:"";for(let f=0;f<g;f++)r.append(u[f],q()),x.nextNode(),c.push({type:2,index:++n});r.append(u[g],q())}}}else if(r.nodeType===8)if(r.data===Rt)c.push({type:2,index:n});else{let u=-1;for(;(u=r.data.indexOf(v,u+1))!==-1;)c.push({type:7,index:n}),u+=v.length-1}n++}}static createElement(s,t){let e=k.createElement("template");return e.innerHTML=s,e}};function E(o,s,t=o,e){if(s===S)return s;let r=e!==void 0?t._$Co?.[e]:t._$Cl,n=H(s)?void 0:s._$litDirective$;return r?.constructor!==n&&(r?._$AO?.(!1),n===void 0?r=void 0:(r=new n(o),r._$AT(o,t,e)),e!==void 0?(t._$Co??=[])[e]=r:t._$Cl=r),r!==void 0&&(s=E(o,r._$AS(o,s.values),r,e)),s}var nt=class{constructor(s,t){this._$AV=[],this._$AN=void 0,this._$AD=s,this._$AM=t}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(s){let{el:{content:t},parts:e}=this._$AD,r=(s?.creationScope??k).importNode(t,!0);x.currentNode=r;let n=x.nextNode(),i=0,h=0,c=e[0];for(;c!==void 0;){if(i===c.index){let p;c.type===2?p=new N(n,n.nextSibling,this,s):c.type===1?p=new c.ctor(n,c.name,c.strings,this,s):c.type===6&&(p=new ct(n,this,s)),this._$AV.push(p),c=e[++h]}i!==c?.index&&(n=x.nextNode(),i++)}return x.currentNode=k,r}p(s){let t=0;for(let e of this._$AV)e!==void 0&&(e.strings!==void 0?(e._$AI(s,e,t),t+=e.strings.length-2):e._$AI(s[t])),t++}},N=class o{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(s,t,e,r){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=s,this._$AB=t,this._$AM=e,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let s=this._$AA.parentNode,t=this._$AM;return t!==void 0&&s?.nodeType===11&&(s=t.parentNode),s}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(s,t=this){s=E(this,s,t),H(s)?s===d||s==null||s===""?(this._$AH!==d&&this._$AR(),this._$AH=d):s!==this._$AH&&s!==S&&this._(s):s._$litType$!==void 0?this.$(s):s.nodeType!==void 0?this.T(s):jt(s)?this.k(s):this._(s)}O(s){return this._$AA.parentNode.insertBefore(s,this._$AB)}T(s){this._$AH!==s&&(this._$AR(),this._$AH=this.O(s))}_(s){this._$AH!==d&&H(this._$AH)?this._$AA.nextSibling.data=s:this.T(k.createTextNode(s)),this._$AH=s}$(s){let{values:t,_$litType$:e}=s,r=typeof e=="number"?this._$AC(s):(e.el===void 0&&(e.el=F.createElement(Pt(e.h,e.h[0]),this.options)),e);if(this._$AH?._$AD===r)this._$AH.p(t);else{let n=new nt(r,this),i=n.u(this.options);n.p(t),this.T(i),this._$AH=n}}_$AC(s){let t=Ct.get(s.strings);return t===void 0&&Ct.set(s.strings,t=new F(s)),t}k(s){lt(this._$AH)||(this._$AH=[],this._$AR());let t=this._$AH,e,r=0;for(let n of s)r===t.length?t.push(e=new o(this.O(q()),this.O(q()),this,this.options)):e=t[r],e._$AI(n),r++;r<t.length&&(this._$AR(e&&e._$AB.nextSibling,r),t.length=r)}_$AR(s=this._$AA.nextSibling,t){for(this._$AP?.(!1,!0,t);s!==this._$AB;){let e=vt(s).nextSibling;vt(s).remove(),s=e}}setConnected(s){this._$AM===void 0&&(this._$Cv=s,this._$AP?.(s))}},R=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(s,t,e,r,n){this.type=1,this._$AH=d,this._$AN=void 0,this.element=s,this.name=t,this._$AM=r,this.options=n,e.length>2||e[0]!==""||e[1]!==""?(this._$AH=Array(e.length-1).fill(new String),this.strings=e):this._$AH=d}_$AI(s,t=this,e,r){let n=this.strings,i=!1;if(n===void 0)s=E(this,s,t,0),i=!H(s)||s!==this._$AH&&s!==S,i&&(this._$AH=s);else{let h=s,c,p;for(s=n[0],c=0;c<n.length-1;c++)p=E(this,h[e+c],t,c),p===S&&(p=this._$AH[c]),i||=!H(p)||p!==this._$AH[c],p===d?s=d:s!==d&&(s+=(p??"")+n[c+1]),this._$AH[c]=p}i&&!r&&this.j(s)}j(s){s===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,s??"")}},ot=class extends R{constructor(){super(...arguments),this.type=3}j(s){this.element[this.name]=s===d?void 0:s}},it=class extends R{constructor(){super(...arguments),this.type=4}j(s){this.element.toggleAttribute(this.name,!!s&&s!==d)}},at=class extends R{constructor(s,t,e,r,n){super(s,t,e,r,n),this.type=5}_$AI(s,t=this){if((s=E(this,s,t,0)??d)===S)return;let e=this._$AH,r=s===d&&e!==d||s.capture!==e.capture||s.once!==e.once||s.passive!==e.passive,n=s!==d&&(e===d||r);r&&this.element.removeEventListener(this.name,this,e),n&&this.element.addEventListener(this.name,this,s),this._$AH=s}handleEvent(s){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,s):this._$AH.handleEvent(s)}},ct=class{constructor(s,t,e){this.element=s,this.type=6,this._$AN=void 0,this._$AM=t,this.options=e}get _$AU(){return this._$AM._$AU}_$AI(s){E(this,s)}};var Kt=dt.litHtmlPolyfillSupport;Kt?.(F,N),(dt.litHtmlVersions??=[]).push("3.3.3");var Ot=(o,s,t)=>{let e=t?.renderBefore??s,r=e._$litPart$;if(r===void 0){let n=t?.renderBefore??null;e._$litPart$=r=new N(s.insertBefore(q(),n),n,void 0,t??{})}return r._$AI(o),r};var ht=globalThis,_=class extends y{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let s=super.createRenderRoot();return this.renderOptions.renderBefore??=s.firstChild,s}update(s){let t=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(s),this._$Do=Ot(t,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};_._$litElement$=!0,_.finalized=!0,ht.litElementHydrateSupport?.({LitElement:_});var Gt=ht.litElementPolyfillSupport;Gt?.({LitElement:_});(ht.litElementVersions??=[]).push("4.2.2");var ut={"state.queued":"Waiting for staff","state.offered":"Finding staff","state.accepted":"On the way","state.in_progress":"In progress","state.awaiting_return":"Done, key being returned","state.awaiting_dropoff":"Waiting for the key","state.completed":"Done","state.closed":"Done","state.cancelled":"Cancelled","staff_state.queued":"Queued","staff_state.offered":"Offered to you","staff_state.accepted":"Accepted","staff_state.in_progress":"Working","staff_state.awaiting_return":"Return the key","staff_state.awaiting_dropoff":"Waiting for the key","staff_state.completed":"Done","staff_state.closed":"Closed","staff_state.cancelled":"Cancelled","room.requests":"Ask for","room.status":"My requests","room.none":"No requests yet","room.free":"Free","room.confirm":"Send request","room.cancel":"Back","room.quantity":"How many","room.sent":"Request sent: {service}","room.by":"{worker}","room.eta":"expected by {time}","room.done_at":"done at {time}","room.dnd":"Do not disturb","room.dnd_on":"Do not disturb is on","room.appliances":"In my room","room.bill":"My bill","room.bill_empty":"Nothing charged yet","room.total":"Total","room.no_stay":"Requests open when a stay starts.","room.left":"Left-handed","room.right":"Right-handed","room.recent":"Earlier","staff.offers":"Offers","staff.work":"My work","staff.nothing":"Nothing in {category}","staff.accept":"Accept","staff.decline":"Decline","staff.start":"Start","staff.done":"Done","staff.give_back":"Give back","staff.reason":"Reason","staff.send":"Send","staff.cancel":"Back","staff.details":"Details","staff.room":"Room","staff.address":"Address","staff.price":"Price","staff.due":"Due","staff.message":"Message","staff.key":"Key","staff.key_owner":"with the owner","staff.key_compartment":"in {cabinet}, compartment {number}","staff.key_worker":"with {worker}","staff.items":"Items in {cabinet}, compartment {number}","staff.code":"Your code comes to your phone when the cabinet is ready.","staff.rooms":"Rooms I serve","staff.change":"Ask to change","staff.change_reason":"Why","staff.board_offline":"room board offline","staff.off_duty":"Off duty","staff.on_duty":"On duty","staff.swipe":"Swipe to switch category","manager.open":"Open orders","manager.escalations":"Escalations","manager.none":"None","manager.cabinets":"Cabinets","manager.online":"online","manager.offline":"offline","manager.stock":"Stock","manager.workers":"Response times","manager.site_mean":"Site, last 24 h: {count} accepted, mean {mean}, p90 {p90}","manager.overdue":"overdue","manager.due":"due {time}","manager.worker":"Worker","manager.accepted":"Accepted","manager.mean":"Mean response","manager.door_open":"door open","manager.out_of_service":"out of service","contents.empty":"empty","contents.reserved":"reserved","contents.key":"key","contents.supplies":"supplies","worker_status.off_duty":"off duty","worker_status.idle":"idle","worker_status.offered":"offered","worker_status.busy":"busy","appliance.on":"On","appliance.off":"Off","appliance.open":"Open","appliance.closed":"Closed","category.cleaning":"Cleaning","category.linen":"Linen","category.food":"Food","category.maintenance":"Maintenance","category.concierge":"Concierge","category.general":"General","error.not_found":"Not found","error.unauthorized":"This face is not yours to see.",loading:"Loading\u2026"},Yt={"state.queued":"\u7B49\u5F85\u670D\u52A1\u4EBA\u5458","state.offered":"\u6B63\u5728\u5B89\u6392\u4EBA\u5458","state.accepted":"\u6B63\u5728\u524D\u5F80","state.in_progress":"\u670D\u52A1\u4E2D","state.awaiting_return":"\u5DF2\u5B8C\u6210\uFF0C\u6B63\u5728\u5F52\u8FD8\u94A5\u5319","state.awaiting_dropoff":"\u7B49\u5F85\u94A5\u5319","state.completed":"\u5DF2\u5B8C\u6210","state.closed":"\u5DF2\u5B8C\u6210","state.cancelled":"\u5DF2\u53D6\u6D88","staff_state.queued":"\u6392\u961F\u4E2D","staff_state.offered":"\u6D3E\u7ED9\u60A8","staff_state.accepted":"\u5DF2\u63A5\u5355","staff_state.in_progress":"\u8FDB\u884C\u4E2D","staff_state.awaiting_return":"\u8BF7\u5F52\u8FD8\u94A5\u5319","staff_state.awaiting_dropoff":"\u7B49\u5F85\u94A5\u5319","staff_state.completed":"\u5DF2\u5B8C\u6210","staff_state.closed":"\u5DF2\u5173\u95ED","staff_state.cancelled":"\u5DF2\u53D6\u6D88","room.requests":"\u6211\u9700\u8981","room.status":"\u6211\u7684\u8BF7\u6C42","room.none":"\u6682\u65E0\u8BF7\u6C42","room.free":"\u514D\u8D39","room.confirm":"\u53D1\u9001\u8BF7\u6C42","room.cancel":"\u8FD4\u56DE","room.quantity":"\u6570\u91CF","room.sent":"\u8BF7\u6C42\u5DF2\u53D1\u9001\uFF1A{service}","room.by":"{worker}","room.eta":"\u9884\u8BA1 {time} \u524D","room.done_at":"{time} \u5B8C\u6210","room.dnd":"\u8BF7\u52FF\u6253\u6270","room.dnd_on":"\u8BF7\u52FF\u6253\u6270\u5DF2\u5F00\u542F","room.appliances":"\u623F\u95F4\u8BBE\u5907","room.bill":"\u6211\u7684\u8D26\u5355","room.bill_empty":"\u6682\u65E0\u6D88\u8D39","room.total":"\u5408\u8BA1","room.no_stay":"\u5165\u4F4F\u540E\u5373\u53EF\u53D1\u9001\u8BF7\u6C42\u3002","room.left":"\u5DE6\u624B","room.right":"\u53F3\u624B","room.recent":"\u4E4B\u524D","staff.offers":"\u65B0\u4EFB\u52A1","staff.work":"\u6211\u7684\u5DE5\u4F5C","staff.nothing":"{category}\u6682\u65E0\u4EFB\u52A1","staff.accept":"\u63A5\u5355","staff.decline":"\u62D2\u7EDD","staff.start":"\u5F00\u59CB","staff.done":"\u5B8C\u6210","staff.give_back":"\u9000\u56DE","staff.reason":"\u539F\u56E0","staff.send":"\u53D1\u9001","staff.cancel":"\u8FD4\u56DE","staff.details":"\u8BE6\u60C5","staff.room":"\u623F\u95F4","staff.address":"\u5730\u5740","staff.price":"\u4EF7\u683C","staff.due":"\u622A\u6B62","staff.message":"\u7559\u8A00","staff.key":"\u94A5\u5319","staff.key_owner":"\u5728\u4E1A\u4E3B\u5904","staff.key_compartment":"\u5728{cabinet}\u7B2C {number} \u683C","staff.key_worker":"\u5728{worker}\u5904","staff.items":"\u7269\u54C1\u5728{cabinet}\u7B2C {number} \u683C","staff.code":"\u67DC\u5B50\u5C31\u7EEA\u540E\uFF0C\u5F00\u67DC\u7801\u4F1A\u53D1\u9001\u5230\u60A8\u7684\u624B\u673A\u3002","staff.rooms":"\u6211\u670D\u52A1\u7684\u623F\u95F4","staff.change":"\u8BF7\u6C42\u66F4\u6539","staff.change_reason":"\u539F\u56E0","staff.board_offline":"\u623F\u95F4\u63A7\u5236\u677F\u79BB\u7EBF","staff.off_duty":"\u4E0B\u73ED","staff.on_duty":"\u503C\u73ED\u4E2D","staff.swipe":"\u5DE6\u53F3\u6ED1\u52A8\u5207\u6362\u7C7B\u522B","manager.open":"\u672A\u5B8C\u6210\u8BA2\u5355","manager.escalations":"\u5347\u7EA7\u5904\u7406","manager.none":"\u65E0","manager.cabinets":"\u50A8\u7269\u67DC","manager.online":"\u5728\u7EBF","manager.offline":"\u79BB\u7EBF","manager.stock":"\u5E93\u5B58","manager.workers":"\u54CD\u5E94\u65F6\u95F4","manager.site_mean":"\u5168\u7AD9\u8FD1 24 \u5C0F\u65F6\uFF1A\u63A5\u5355 {count} \u4E2A\uFF0C\u5E73\u5747 {mean}\uFF0Cp90 {p90}","manager.overdue":"\u5DF2\u8D85\u65F6","manager.due":"{time} \u622A\u6B62","manager.worker":"\u5458\u5DE5","manager.accepted":"\u63A5\u5355\u6570","manager.mean":"\u5E73\u5747\u54CD\u5E94","manager.door_open":"\u95E8\u5F00\u7740","manager.out_of_service":"\u505C\u7528","contents.empty":"\u7A7A","contents.reserved":"\u5DF2\u9884\u7559","contents.key":"\u94A5\u5319","contents.supplies":"\u7528\u54C1","worker_status.off_duty":"\u4E0B\u73ED","worker_status.idle":"\u7A7A\u95F2","worker_status.offered":"\u5F85\u63A5\u5355","worker_status.busy":"\u5FD9\u788C","appliance.on":"\u5F00","appliance.off":"\u5173","appliance.open":"\u6253\u5F00","appliance.closed":"\u5173\u95ED","category.cleaning":"\u6E05\u6D01","category.linen":"\u5E03\u8349","category.food":"\u9910\u996E","category.maintenance":"\u7EF4\u4FEE","category.concierge":"\u793C\u5BBE","category.general":"\u5176\u4ED6","error.not_found":"\u672A\u627E\u5230","error.unauthorized":"\u60A8\u65E0\u6743\u67E5\u770B\u6B64\u9875\u9762\u3002",loading:"\u52A0\u8F7D\u4E2D\u2026"},Xt={standard_cleaning:"\u6807\u51C6\u6E05\u6D01",deep_cleaning:"\u6DF1\u5EA6\u6E05\u6D01",room_cleaning:"\u5BA2\u623F\u6E05\u6D01",towels:"\u66F4\u6362\u6BDB\u5DFE",bed_linen:"\u66F4\u6362\u5E8A\u5355",amenities:"\u8865\u5145\u6D17\u6F31\u7528\u54C1",laundry:"\u6D17\u8863",minibar:"\u8865\u5145\u8FF7\u4F60\u5427",room_service_meal:"\u9001\u9910\u670D\u52A1",repair:"\u7EF4\u4FEE",wake_up_call:"\u53EB\u9192\u670D\u52A1",luggage:"\u884C\u674E\u670D\u52A1",call_staff:"\u547C\u53EB\u670D\u52A1\u5458"};function Jt(o,s){return(s||o?.locale?.language||o?.language||"en").toLowerCase().startsWith("zh")?"zh":"en"}var A=class{constructor(s,t){this.lang=Jt(s,t)}t(s,t={}){let r=(this.lang==="zh"?Yt:ut)[s]??ut[s]??s;for(let[n,i]of Object.entries(t))r=r.replace(`{${n}}`,i==null?"":String(i));return r}category(s){let t=`category.${s}`;return t in ut?this.t(t):s.charAt(0).toUpperCase()+s.slice(1)}service(s,t){return this.lang==="zh"?Xt[s]??t:t}time(s){return s?new Date(s).toLocaleTimeString(this.lang==="zh"?"zh-CN":"en-GB",{hour:"2-digit",minute:"2-digit"}):""}money(s,t){let e=Number(s);if(!e)return this.t("room.free");try{return new Intl.NumberFormat(this.lang==="zh"?"zh-CN":"en-GB",{style:"currency",currency:t}).format(e)}catch{return`${s} ${t}`}}duration(s){if(s==null)return"\u2013";if(s<60)return this.lang==="zh"?`${s} \u79D2`:`${s} s`;let t=Math.round(s/60);if(t<120)return this.lang==="zh"?`${t} \u5206\u949F`:`${t} min`;let e=(t/60).toFixed(1);return this.lang==="zh"?`${e} \u5C0F\u65F6`:`${e} h`}};var b=class extends _{static{this.properties={hass:{attribute:!1},_config:{state:!0},_face:{state:!0},_error:{state:!0}}}setConfig(s){if(!s)throw new Error("Invalid configuration");this._config=s,this._resubscribe()}get tr(){return new A(this.hass,this._config?.language)}connectedCallback(){super.connectedCallback(),this._resubscribe()}disconnectedCallback(){super.disconnectedCallback(),this._unsubscribe()}willUpdate(s){s.has("hass")&&!this._unsub&&this._resubscribe()}subscribeMessage(){let s=this._config,t={type:"doorservice/subscribe_face",face:this.faceName};for(let e of["site","room","worker"])s[e]&&(t[e]=s[e]);return t}_resubscribe(){if(!this.hass||!this._config||!this.isConnected)return;let s=this.subscribeMessage(),t=JSON.stringify(s);this._unsub&&t===this._subscribedKey||(this._unsubscribe(),this._subscribedKey=t,this._error=void 0,this._unsub=this.hass.connection.subscribeMessage(e=>{if(e.ended){this._unsubscribe(),window.setTimeout(()=>this._resubscribe(),1e3);return}this._face=e,this._error=void 0},s),this._unsub.catch(e=>{this._unsub=void 0,this._error=e?.code?this.tr.t(`error.${e.code}`):String(e?.message??e),this._face&&window.setTimeout(()=>this._resubscribe(),5e3)}))}_unsubscribe(){let s=this._unsub;this._unsub=void 0,this._subscribedKey=void 0,s?.then(t=>t()).catch(()=>{})}renderStatus(){if(this._error)return a`<ha-card><div class="message error">${this._error}</div></ha-card>`;if(!this._face)return a`<ha-card><div class="message">${this.tr.t("loading")}</div></ha-card>`}};function Mt(o,s,t){o.dispatchEvent(new CustomEvent(s,{detail:t,bubbles:!0,composed:!0}))}var T=$`
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
`;var Zt=["awaiting_dropoff","queued","offered","accepted","in_progress","awaiting_return","completed"],j=class extends b{constructor(){super(...arguments);this.faceName="manager"}static{this.styles=[T,$`
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
    `]}static getConfigElement(){return document.createElement("doorservice-manager-card-editor")}static getStubConfig(){return{type:"custom:doorservice-manager-card"}}getCardSize(){return 10}getGridOptions(){return{columns:"full",rows:10}}render(){let t=this.renderStatus();if(t)return t;let e=this._face,r=this.tr,n=Zt.filter(c=>e.by_state[c]),i=e.response_times,h=this._config;return a`<ha-card>
      <h1>${e.site_name}</h1>
      <h2>${r.t("manager.open")}</h2>
      <div class="counts">
        ${n.length?n.map(c=>a`<div class="count" data-state=${c}><b>${e.by_state[c]}</b>${r.t(`staff_state.${c}`)}</div>`):a`<span class="muted">${r.t("manager.none")}</span>`}
      </div>
      ${e.orders.length?this._orders(e.orders):d}
      <div class="grid">
        <section>
          <h2>${r.t("manager.escalations")}</h2>
          ${e.escalations.length?this._orders(e.escalations):a`<p class="muted">${r.t("manager.none")}</p>`}
          <h2>${r.t("manager.workers")}</h2>
          <p class="muted" data-site-response>
            ${r.t("manager.site_mean",{count:i.count,mean:r.duration(i.mean_seconds),p90:r.duration(i.p90_seconds)})}
          </p>
          <table data-workers>
            <tr><th>${r.t("manager.worker")}</th><th></th><th>${r.t("manager.accepted")}</th><th>${r.t("manager.mean")}</th></tr>
            ${e.workers.map(c=>a`<tr data-worker=${c.worker}>
                <td>${c.worker}</td>
                <td><span class="chip">${r.t(`worker_status.${c.status}`)}</span></td>
                <td>${c.accepted}</td>
                <td data-mean>${r.duration(c.mean_response_seconds)}</td>
              </tr>`)}
          </table>
        </section>
        ${h.show_cabinets===!1?d:a`<section>
              <h2>${r.t("manager.cabinets")}</h2>
              ${e.cabinets.length?d:a`<p class="muted">${r.t("manager.none")}</p>`}
              ${e.cabinets.map(c=>a`<div data-cabinet=${c.name}>
                  <h3>${c.name} · <span class=${c.online?"":"low"}>${c.online?r.t("manager.online"):r.t("manager.offline")}</span></h3>
                  <div class="compartments">
                    ${c.compartments.map(p=>a`<div
                        class="compartment ${p.contents} ${p.out_of_service?"out":""} ${p.door_open?"open":""}"
                        title=${p.order_id??""}
                      >
                        <b>${p.number}</b> ${r.t(`contents.${p.contents}`)}
                        ${p.door_open?a`<div>${r.t("manager.door_open")}</div>`:d}
                        ${p.out_of_service?a`<div>${r.t("manager.out_of_service")}</div>`:d}
                      </div>`)}
                  </div>
                  ${h.show_stock===!1||!c.stock.length?d:a`<h3>${r.t("manager.stock")}</h3>
                        <table>
                          ${c.stock.map(p=>a`<tr><td>${p.name}</td><td class=${p.low?"low":""}>${p.on_hand}</td></tr>`)}
                        </table>`}
                </div>`)}
            </section>`}
      </div>
    </ha-card>`}_orders(t){let e=this.tr;return a`<table>
      ${t.map(r=>a`<tr data-order=${r.order_id}>
          <td>${r.order_id}</td>
          <td>${e.service(r.service_type,r.service)}</td>
          <td>${r.room??r.address??""}</td>
          <td><span class="chip ${r.state}">${e.t(`staff_state.${r.state}`)}</span></td>
          <td>${r.worker??""}</td>
          <td>
            ${r.escalated?a`<span class="chip escalated">${e.t("manager.escalations")}</span>`:d}
            ${r.overdue?a`<span class="chip overdue">${e.t("manager.overdue")}</span>`:r.due_at&&!r.started_at?e.t("manager.due",{time:e.time(r.due_at)}):d}
          </td>
        </tr>`)}
    </table>`}};function W(o){return o.callWS({type:"doorservice/faces"})}function C(o,s,t){return o.callService("doorservice",s,t,void 0,!1,!1)}function z(o){return o&&typeof o=="object"&&"message"in o?String(o.message):String(o)}var K=class extends b{constructor(){super(...arguments);this.faceName="room";this._quantity=1;this._busy=!1;this._send=async()=>{let t=this._face,e=this._choice;e&&await this._run(async()=>{await C(this.hass,"request_service",{room:t.room_id,service_type:e.service_type,quantity:this._quantity}),this._choice=void 0},this.tr.t("room.sent",{service:this.tr.service(e.service_type,e.name)}))};this._toggleDnd=async()=>{let t=this._face;await this._run(()=>C(this.hass,"set_do_not_disturb",{room:t.room_id,on:!t.do_not_disturb}))}}static{this.properties={...b.properties,_choice:{state:!0},_quantity:{state:!0},_toast:{state:!0},_busy:{state:!0},_hand:{state:!0}}}static{this.styles=[T,$`
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
    `]}static getConfigElement(){return document.createElement("doorservice-room-card-editor")}static getStubConfig(){return{type:"custom:doorservice-room-card"}}getCardSize(){return 8}getGridOptions(){return{columns:"full",rows:8}}render(){let t=this.renderStatus();if(t)return t;let e=this._face,r=this.tr,n=this._hand??e.handedness,i=this._config;return a`
      <ha-card>
        <div class="spread">
          <div>
            <h1>${e.room}</h1>
            ${e.stay?a`<div class="muted">${e.stay.guest_name}</div>`:d}
          </div>
          <div class="row">
            ${i.show_handedness_switch===!1?d:a`<div class="row hand" role="group">
                  ${["left","right"].map(h=>a`<button
                      class=${n===h?"on":""}
                      data-hand=${h}
                      @click=${()=>this._setHand(h)}
                    >
                      ${r.t(`room.${h}`)}
                    </button>`)}
                </div>`}
            <button
              class=${e.do_not_disturb?"on":""}
              data-action="dnd"
              @click=${this._toggleDnd}
            >
              ${e.do_not_disturb?r.t("room.dnd_on"):r.t("room.dnd")}
            </button>
          </div>
        </div>
        <div class="columns ${n}">
          <section class="actions">${this._renderRequests(e)}</section>
          <section class="status">
            ${this._renderStatusList(e)}
            ${i.show_appliances===!1?d:this._renderAppliances(e)}
            ${i.show_bill===!1?d:this._renderBill(e)}
          </section>
        </div>
        ${this._toast?a`<div class="toast ${this._toast.error?"error":""}" role="status">
              ${this._toast.text}
            </div>`:d}
      </ha-card>
    `}_renderRequests(t){let e=this.tr;if(!t.may_request)return a`<h2>${e.t("room.requests")}</h2><p class="muted">${e.t("room.no_stay")}</p>`;let r=this._choice;return a`
      <h2>${e.t("room.requests")}</h2>
      ${r?a`<div class="confirm">
            <div class="big">${e.service(r.service_type,r.name)}</div>
            <div>${e.money(r.price,t.currency)}${r.paid&&this._quantity>1?a` × ${this._quantity} = ${e.money(String(Number(r.price)*this._quantity),t.currency)}`:d}</div>
            <div class="row" style="margin: 8px 0">
              <span>${e.t("room.quantity")}</span>
              <button @click=${()=>this._quantity=Math.max(1,this._quantity-1)}>−</button>
              <span data-quantity>${this._quantity}</span>
              <button @click=${()=>this._quantity=Math.min(99,this._quantity+1)}>+</button>
            </div>
            <div class="row">
              <button class="primary" data-action="confirm" ?disabled=${this._busy} @click=${this._send}>
                ${e.t("room.confirm")}
              </button>
              <button data-action="back" @click=${()=>this._choice=void 0}>${e.t("room.cancel")}</button>
            </div>
          </div>`:d}
      ${Qt(t.catalog,n=>n.category).map(([n,i])=>a`
          <h3>${e.category(n)}</h3>
          <div class="buttons">
            ${i.map(h=>a`<button
                data-service=${h.service_type}
                @click=${()=>{this._choice=h,this._quantity=1}}
              >
                ${e.service(h.service_type,h.name)}
                <span class="price">${e.money(h.price,t.currency)}</span>
              </button>`)}
          </div>
        `)}
    `}_renderStatusList(t){let e=this.tr;return a`
      <h2>${e.t("room.status")}</h2>
      ${t.requests.length||t.finished.length?d:a`<p class="muted">${e.t("room.none")}</p>`}
      ${t.requests.map(r=>this._renderRequest(r))}
      ${t.finished.length?a`<h3>${e.t("room.recent")}</h3>${t.finished.map(r=>this._renderRequest(r))}`:d}
    `}_renderRequest(t){let e=this.tr,r=t.state==="completed"||t.state==="closed";return a`<div class="request" data-order=${t.order_id} data-state=${t.state}>
      <div class="spread">
        <span class="who">${e.service(t.service_type,t.service)}${t.quantity>1?` \xD7 ${t.quantity}`:""}</span>
        <span class="chip ${t.state}">${e.t(`state.${t.state}`)}</span>
      </div>
      <div class="muted">
        ${t.worker?a`<span data-worker>${e.t("room.by",{worker:t.worker})}</span> · `:d}
        ${r?e.t("room.done_at",{time:e.time(t.done_at)}):t.eta?e.t("room.eta",{time:e.time(t.eta)}):d}
      </div>
    </div>`}_renderAppliances(t){if(!t.appliances||!t.appliances.length)return d;let e=this.tr;return a`
      <h2>${e.t("room.appliances")}</h2>
      <div class="row">
        ${t.appliances.map(r=>{let n=r.state==="on"||r.state==="open";return a`<button
            class=${n?"on":""}
            data-appliance=${r.appliance}
            @click=${()=>this._toggleAppliance(t,r.appliance,r.kind,n)}
          >
            ${r.name}: ${e.t(`appliance.${r.state}`)}
          </button>`})}
      </div>
    `}_renderBill(t){if(!t.bill)return d;let e=this.tr,r=t.bill;return a`
      <h2>${e.t("room.bill")}</h2>
      ${r.lines.length?a`<table class="lines">
            ${r.lines.map(n=>a`<tr>
                <td>${n.description}${n.quantity>1?` \xD7 ${n.quantity}`:""}</td>
                <td>${e.money(n.amount,r.currency)}</td>
              </tr>`)}
            <tr>
              <th>${e.t("room.total")}</th>
              <th data-total>${e.money(r.total,r.currency)}</th>
            </tr>
          </table>`:a`<p class="muted">${e.t("room.bill_empty")}</p>`}
    `}_notify(t,e=!1){this._toast={text:t,error:e},window.clearTimeout(this._toastTimer),this._toastTimer=window.setTimeout(()=>this._toast=void 0,e?8e3:5e3)}async _run(t,e){this._busy=!0;try{await t(),e&&this._notify(e)}catch(r){this._notify(z(r),!0)}finally{this._busy=!1}}async _toggleAppliance(t,e,r,n){let i=r==="cover"?n?"closed":"open":n?"off":"on";await this._run(()=>C(this.hass,"request_appliance_change",{room:t.room_id,appliance:e,state:i,reason:"room terminal"}))}async _setHand(t){this._hand=t;let e=this._face?.handedness_entity;if(e)try{await this.hass.callService("select","select_option",{option:t},{entity_id:e},!1),this._hand=void 0}catch{}}};function Qt(o,s){let t=new Map;for(let e of o){let r=s(e);t.has(r)||t.set(r,[]),t.get(r).push(e)}return[...t.entries()]}var te={left:"next",right:"previous"},ee=50,G=class extends b{constructor(){super(...arguments);this.faceName="staff";this._open=new Set;this._reason="";this._busy=!1;this._down=t=>{t.pointerType!=="touch"&&(this._start={x:t.clientX,y:t.clientY})};this._touchStart=t=>{let e=t.changedTouches[0];this._start={x:e.clientX,y:e.clientY}};this._sendPending=async()=>{let t=this._pending;if(!t)return;let e=this._reason.trim(),r;"order"in t?r=await this._call(t.action,{order_id:t.order.order_id,worker:this._face.worker_id,...e?{reason:e}:{}}):r=await this._callRoom({room:t.room.room_id,appliance:t.appliance.appliance,state:t.state,reason:e||"staff terminal"}),r&&(this._pending=void 0)}}static{this.properties={...b.properties,_category:{state:!0},_open:{state:!0},_pending:{state:!0},_reason:{state:!0},_toast:{state:!0},_busy:{state:!0}}}static{this.styles=[T,$`
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
    `]}static getConfigElement(){return document.createElement("doorservice-staff-card-editor")}static getStubConfig(){return{type:"custom:doorservice-staff-card"}}getCardSize(){return 8}_categories(t){let e=this._config?.categories?.length?this._config.categories:t.categories,r=new Set(t.orders.map(i=>i.category)),n=e.filter(i=>this._config?.show_empty_categories!==!1||r.has(i));for(let i of r)n.includes(i)||n.push(i);return n.length?n:t.categories.slice(0,1)}_current(t){if(this._category&&t.includes(this._category))return this._category;let e=this._config?.start_category;return e&&t.includes(e)?e:t[0]}render(){let t=this.renderStatus();if(t)return t;let e=this._face,r=this.tr,n=this._categories(e),i=this._current(n),h=e.orders.filter(l=>l.category===i),c=h.filter(l=>l.offered),p=h.filter(l=>!l.offered);return a`
      <ha-card>
        <div class="spread">
          <h1>${e.worker}</h1>
          <span class="chip">${e.on_duty?r.t("staff.on_duty"):r.t("staff.off_duty")}</span>
        </div>
        <div class="tabs" role="tablist">
          ${n.map(l=>{let u=e.orders.filter(f=>f.category===l).length,g=e.orders.some(f=>f.category===l&&f.offered);return a`<button
              role="tab"
              class="${l===i?"on":""} ${g?"has-offers":""}"
              aria-selected=${l===i}
              data-category=${l}
              @click=${()=>this._category=l}
            >
              ${r.category(l)}${u?a`<span class="count">${u}</span>`:d}
            </button>`})}
        </div>
        <div
          class="swipe-area"
          data-current-category=${i}
          @pointerdown=${this._down}
          @pointerup=${l=>this._up(l,n,i)}
          @touchstart=${this._touchStart}
          @touchend=${l=>this._touchEnd(l,n,i)}
        >
          ${this._renderPending()}
          ${c.length?a`<h2>${r.t("staff.offers")}</h2>${c.map(l=>this._renderOrder(l))}`:d}
          ${p.length?a`<h2>${r.t("staff.work")}</h2>${p.map(l=>this._renderOrder(l))}`:d}
          ${h.length?d:a`<p class="muted">${r.t("staff.nothing",{category:r.category(i)})}</p>`}
          <div class="hint muted">${r.t("staff.swipe")}</div>
        </div>
        ${this._renderRooms(e)}
        ${this._toast?a`<div class="toast ${this._toast.error?"error":""}" role="status">${this._toast.text}</div>`:d}
      </ha-card>
    `}_renderOrder(t){let e=this.tr,r=this._face,n=this._open.has(t.order_id)||!!t.mine,i=t.room??t.address??"";return a`<div class="order ${t.offered?"offered":""}" data-order=${t.order_id} data-state=${t.state}>
      <div class="spread">
        <span class="title">${e.service(t.service_type,t.service)}${t.quantity>1?` \xD7 ${t.quantity}`:""}</span>
        <span class="chip ${t.overdue?"overdue":t.state}">${e.t(`staff_state.${t.state}`)}</span>
      </div>
      <div class="muted">${i} · ${e.time(t.created_at)}</div>
      ${n?a`<dl>
            ${t.room?a`<dt>${e.t("staff.room")}</dt><dd>${t.room}</dd>`:d}
            ${t.address?a`<dt>${e.t("staff.address")}</dt><dd>${t.address}</dd>`:d}
            <dt>${e.t("staff.price")}</dt><dd>${e.money(t.total_price,r.currency)}</dd>
            ${t.due_at?a`<dt>${e.t("staff.due")}</dt><dd>${e.time(t.due_at)}</dd>`:d}
            ${t.message?a`<dt>${e.t("staff.message")}</dt><dd>${t.message}</dd>`:d}
            ${t.key?this._renderKey(t):d}
          </dl>`:a`<button
            style="min-height: 32px; padding: 2px 8px; margin-top: 6px"
            @click=${()=>{this._open=new Set([...this._open,t.order_id])}}
          >
            ${e.t("staff.details")}
          </button>`}
      <div class="row actions">${this._actions(t)}</div>
    </div>`}_renderKey(t){let e=this.tr,r=t.key,n=r.holder,i=n.kind==="compartment"?e.t("staff.key_compartment",{cabinet:n.cabinet,number:n.number}):n.kind==="worker"?e.t("staff.key_worker",{worker:n.worker}):e.t("staff.key_owner");return a`
      ${r.has_key?a`<dt>${e.t("staff.key")}</dt><dd>${i}</dd>`:d}
      ${r.compartments.map(h=>a`<dt></dt><dd>${e.t("staff.items",{cabinet:h.cabinet,number:h.number})}</dd>`)}
      <dt></dt><dd class="muted">${e.t("staff.code")}</dd>
    `}_actions(t){let e=this.tr,r=(n,i,h="")=>a`<button class=${h} data-action=${n} ?disabled=${this._busy} @click=${()=>this._act(t,n)}>
        ${e.t(i)}
      </button>`;if(t.offered)return[r("accept_order","staff.accept","good"),r("decline_order","staff.decline","bad")];switch(t.state){case"accepted":return[r("start_order","staff.start","primary"),r("give_back_order","staff.give_back","bad")];case"in_progress":return[r("complete_order","staff.done","good")];default:return[]}}_renderPending(){let t=this._pending;if(!t)return d;let e=this.tr,r="order"in t?`${e.t(t.action==="decline_order"?"staff.decline":"staff.give_back")}: ${e.service(t.order.service_type,t.order.service)}`:`${e.t("staff.change")}: ${t.room.room} \xB7 ${t.appliance.name} \u2192 ${e.t(`appliance.${t.state}`)}`;return a`<div class="order offered">
      <div class="title">${r}</div>
      <label>
        ${e.t("order"in t?"staff.reason":"staff.change_reason")}
        <input
          data-field="reason"
          .value=${this._reason}
          @input=${n=>this._reason=n.target.value}
        />
      </label>
      <div class="row actions">
        <button class="primary" data-action="send" ?disabled=${this._busy} @click=${this._sendPending}>${e.t("staff.send")}</button>
        <button @click=${()=>this._pending=void 0}>${e.t("staff.cancel")}</button>
      </div>
    </div>`}_renderRooms(t){if(!t.rooms.length)return d;let e=this.tr;return a`
      <h2>${e.t("staff.rooms")}</h2>
      ${t.rooms.map(r=>a`<div class="order" data-room=${r.room_id}>
          <div class="spread">
            <span class="title">${r.room}</span>
            ${r.board_available?d:a`<span class="chip overdue">${e.t("staff.board_offline")}</span>`}
          </div>
          <div class="row actions">
            ${r.appliances.map(n=>{let i=n.state==="on"||n.state==="open",h=n.kind==="cover"?i?"closed":"open":i?"off":"on";return a`<button
                class=${i?"on":""}
                data-appliance=${n.appliance}
                @click=${()=>{this._pending={room:r,appliance:n,state:h},this._reason=""}}
              >
                ${n.name}: ${e.t(`appliance.${n.state}`)}
              </button>`})}
          </div>
        </div>`)}
    `}_up(t,e,r){t.pointerType==="touch"||!this._start||(this._swipe(t.clientX-this._start.x,t.clientY-this._start.y,e,r),this._start=void 0)}_touchEnd(t,e,r){let n=t.changedTouches[0];!this._start||!n||(this._swipe(n.clientX-this._start.x,n.clientY-this._start.y,e,r),this._start=void 0)}_swipe(t,e,r,n){let i=Math.abs(t)>=Math.abs(e);if(Math.abs(i?t:e)<ee)return;let c=i?t<0?"left":"right":e<0?"up":"down",l={...te,...this._config?.swipe??{}}[c];if(!l||l==="none")return;let u=r.indexOf(n);l==="next"?this._category=r[(u+1)%r.length]:l==="previous"?this._category=r[(u-1+r.length)%r.length]:r.includes(l)&&(this._category=l)}_notify(t,e=!1){this._toast={text:t,error:e},window.clearTimeout(this._toastTimer),this._toastTimer=window.setTimeout(()=>this._toast=void 0,e?8e3:3e3)}async _call(t,e){this._busy=!0;try{return await C(this.hass,t,{site:this._face.site,...e}),!0}catch(r){return this._notify(z(r),!0),!1}finally{this._busy=!1}}async _act(t,e){if(e==="decline_order"||e==="give_back_order"){this._pending={order:t,action:e},this._reason="";return}let r={order_id:t.order_id,worker:this._face.worker_id};await this._call(e,r)&&(this._category=t.category)}async _callRoom(t){this._busy=!0;try{return await C(this.hass,"request_appliance_change",t),!0}catch(e){return this._notify(z(e),!0),!1}finally{this._busy=!1}}};var qt=o=>o.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g,"-").replace(/^-|-$/g,"")||"view",Y=class extends HTMLElement{static async generate(s,t){let e=await W(t),r=[],n=new Set,i=p=>{let l=qt(p);for(let u=2;n.has(l);u++)l=`${qt(p)}-${u}`;return n.add(l),l},h=e.sites.filter(p=>!s.site||p.site===s.site||p.name===s.site),c=h.length>1;for(let p of h){let l=c?`${p.name} \xB7 `:"";if(p.manager&&s.manager!==!1&&r.push({title:`${l}${p.site_type==="hotel"?"Manager":"Overview"}`,path:i(`${p.name}-manager`),type:"panel",cards:[{type:"custom:doorservice-manager-card",site:p.site}]}),s.workers!==!1)for(let u of p.workers)r.push({title:`${l}${u.name}`,path:i(u.name),type:"panel",cards:[{type:"custom:doorservice-staff-card",site:p.site,worker:u.id,...s.swipe?{swipe:s.swipe}:{}}]});if(s.rooms!==!1)for(let u of p.rooms)r.push({title:`${l}${u.name}`,path:i(u.name),type:"panel",cards:[{type:"custom:doorservice-room-card",site:p.site,room:u.id}]})}return r.length||r.push({title:"Door Service",cards:[{type:"markdown",content:"This user is neither a manager, a worker nor a room terminal of a Door Service site."}]}),{title:"Door Service",views:r}}};var se={site:["Site","\u7AD9\u70B9"],room:["Room","\u623F\u95F4"],worker:["Worker","\u5458\u5DE5"],language:["Language (empty: the user's)","\u8BED\u8A00\uFF08\u7559\u7A7A\uFF1A\u7528\u6237\u7684\u8BED\u8A00\uFF09"],show_bill:["Show the bill","\u663E\u793A\u8D26\u5355"],show_appliances:["Show the appliances","\u663E\u793A\u8BBE\u5907"],show_handedness_switch:["Show the left/right switch","\u663E\u793A\u5DE6\u53F3\u624B\u5207\u6362"],swipe_left:["Swipe left goes to","\u5411\u5DE6\u6ED1\u52A8\u5207\u6362\u5230"],swipe_right:["Swipe right goes to","\u5411\u53F3\u6ED1\u52A8\u5207\u6362\u5230"],swipe_up:["Swipe up goes to","\u5411\u4E0A\u6ED1\u52A8\u5207\u6362\u5230"],swipe_down:["Swipe down goes to","\u5411\u4E0B\u6ED1\u52A8\u5207\u6362\u5230"],show_empty_categories:["Show categories without orders","\u663E\u793A\u6CA1\u6709\u8BA2\u5355\u7684\u7C7B\u522B"],show_cabinets:["Show the cabinets","\u663E\u793A\u50A8\u7269\u67DC"],show_stock:["Show the stock","\u663E\u793A\u5E93\u5B58"]},U=class extends _{constructor(){super(...arguments);this._loading=!1;this._changed=t=>{t.stopPropagation();let e={...t.detail.value};for(let[r,n]of Object.entries(e))(n===""||n===void 0)&&delete e[r];this._config=this.fromForm(e),Mt(this,"config-changed",{config:this._config})}}static{this.properties={hass:{attribute:!1},_config:{state:!0},_faces:{state:!0}}}setConfig(t){this._config=t}connectedCallback(){super.connectedCallback(),this.hass&&!this._faces&&this._load()}updated(){this.hass&&!this._faces&&this._load()}async _load(){if(!this._loading){this._loading=!0;try{this._faces=await W(this.hass)}catch{this._faces={roles:[],sites:[]}}}}siteOptions(){return(this._faces?.sites??[]).map(t=>({value:t.site,label:t.name}))}site(){let t=this._faces?.sites??[];return t.find(e=>e.site===this._config?.site)??(t.length===1?t[0]:void 0)}toForm(t){return{...t}}fromForm(t){return t}render(){if(!this.hass||!this._config)return a``;let t=new A(this.hass);return a`<ha-form
      .hass=${this.hass}
      .data=${this.toForm(this._config)}
      .schema=${this.schema()}
      .computeLabel=${e=>se[e.name]?.[t.lang==="zh"?1:0]??e.name}
      @value-changed=${this._changed}
    ></ha-form>`}},m=o=>({select:{mode:"dropdown",options:o,custom_value:!0}}),ft=[{value:"en",label:"English"},{value:"zh-Hans",label:"\u4E2D\u6587"}],X=class extends U{schema(){let s=(this.site()?.rooms??[]).map(t=>({value:t.id,label:t.name}));return[{name:"site",selector:m(this.siteOptions())},{name:"room",selector:m(s)},{name:"language",selector:m(ft)},{name:"show_bill",selector:{boolean:{}},default:!0},{name:"show_appliances",selector:{boolean:{}},default:!0},{name:"show_handedness_switch",selector:{boolean:{}},default:!0}]}},J=class extends U{schema(){let t=(this.site()?.workers??[]).map(n=>({value:n.id,label:n.name})),e=new A(this.hass),r=[{value:"next",label:e.lang==="zh"?"\u4E0B\u4E00\u4E2A\u7C7B\u522B":"Next category"},{value:"previous",label:e.lang==="zh"?"\u4E0A\u4E00\u4E2A\u7C7B\u522B":"Previous category"},{value:"none",label:e.lang==="zh"?"\u65E0":"Nothing"},...["cleaning","linen","food","maintenance","concierge"].map(n=>({value:n,label:e.category(n)}))];return[{name:"site",selector:m(this.siteOptions())},{name:"worker",selector:m(t)},{name:"language",selector:m(ft)},{name:"swipe_left",selector:m(r)},{name:"swipe_right",selector:m(r)},{name:"swipe_up",selector:m(r)},{name:"swipe_down",selector:m(r)},{name:"show_empty_categories",selector:{boolean:{}},default:!0}]}toForm(s){let{swipe:t,...e}=s,r={...e};for(let[n,i]of Object.entries(t??{}))r[`swipe_${n}`]=i;return r}fromForm(s){let t={},e={};for(let[r,n]of Object.entries(s))r.startsWith("swipe_")?e[r.slice(6)]=String(n):t[r]=n;return Object.keys(e).length&&(t.swipe=e),t}},Z=class extends U{schema(){return[{name:"site",selector:m(this.siteOptions())},{name:"language",selector:m(ft)},{name:"show_cabinets",selector:{boolean:{}},default:!0},{name:"show_stock",selector:{boolean:{}},default:!0}]}};var re=[["doorservice-room-card",K],["doorservice-staff-card",G],["doorservice-manager-card",j],["doorservice-room-card-editor",X],["doorservice-staff-card-editor",J],["doorservice-manager-card-editor",Z],["ll-strategy-dashboard-doorservice",Y]],Ht=()=>{let o=!1;for(let[s,t]of re)if(!customElements.get(s)){o=!0;try{customElements.define(s,t)}catch{}}return o},ne=customElements.define;Ht();var oe=0,ie=window.setInterval(()=>{let o=Ht();(customElements.define!==ne&&!o||++oe>=600)&&window.clearInterval(ie)},100),Q=window;Q.customCards=Q.customCards??[];for(let o of[["doorservice-room-card","Door Service room terminal","A guest room's wall tablet: requests with prices, their status, do not disturb, appliances and the bill."],["doorservice-staff-card","Door Service staff terminal","A worker's phone: offers and work by category (swipe to switch), accept, decline, start, done, give back."],["doorservice-manager-card","Door Service manager board","Open orders by state and SLA, escalations, cabinets, stock and response times per worker."]])Q.customCards.some(s=>s.type===o[0])||Q.customCards.push({type:o[0],name:o[1],description:o[2],documentationURL:"https://github.com/doorservice/doorservice#faces"});
