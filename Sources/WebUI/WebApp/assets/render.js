// DOM building and the one place where server HTML enters the page.
//
// Everything here creates nodes and sets textContent or single attributes: the app never assigns
// innerHTML from data, so a display name like `<img onerror=…>` can only ever be text. Status content
// is HTML the server already sanitised, but a second allow-list here means a server bug or a hostile
// remote server cannot reach the page either.

/** Creates an element. `attrs` keys: `class`, `text`, `on<event>`, `dataset`, booleans, or any attribute. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Empties an element and fills it with `children`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A label only screen readers announce. */
export function srOnly(text) {
  return h("span", { class: "sr-only", text });
}

// --- Sanitising ----------------------------------------------------------------------------------

// What Mastodon itself lets through in status content (Sanitize::Config::MASTODON_STRICT), no more.
const ALLOWED_TAGS = new Set([
  "p", "br", "span", "a", "del", "s", "pre", "blockquote", "code", "b", "strong", "u", "i", "em",
  "ul", "ol", "li",
]);
// Dropped with their content: their text is not meant to be read.
const DROPPED_TAGS = new Set(["script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math", "head", "title"]);
const ALLOWED_CLASSES = new Set(["mention", "hashtag", "u-url", "h-card", "invisible", "ellipsis"]);
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/** A safe absolute URL string, or null for javascript:, data: and anything unparsable. */
export function safeUrl(value, protocols = SAFE_PROTOCOLS) {
  if (typeof value !== "string" || value === "") return null;
  try {
    const url = new URL(value, location.origin);
    return protocols.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Parses server HTML in an inert document and rebuilds it node by node in this one, keeping only
 * allow-listed tags, classes and link targets. Unknown tags are unwrapped (their text stays).
 * `emojis` are custom emoji entities whose :shortcodes: become images.
 */
export function sanitizeHTML(html, { emojis = [], onLink } = {}) {
  // DOMParser documents never run scripts nor load images, so parsing itself is harmless.
  const doc = new DOMParser().parseFromString(`<body>${html ?? ""}</body>`, "text/html");
  const out = document.createDocumentFragment();
  copyChildren(doc.body, out, emojiMap(emojis), onLink);
  return out;
}

function copyChildren(from, to, emojis, onLink) {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.append(emojify(node.data, emojis));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue;
    const tag = node.localName;
    if (DROPPED_TAGS.has(tag)) continue;
    if (!ALLOWED_TAGS.has(tag)) {
      copyChildren(node, to, emojis, onLink);
      continue;
    }
    const el = document.createElement(tag);
    const classes = (node.getAttribute("class") || "").split(/\s+/).filter((c) => ALLOWED_CLASSES.has(c));
    if (classes.length) el.className = classes.join(" ");
    if (tag === "a") {
      const href = safeUrl(node.getAttribute("href"));
      if (href) {
        el.href = href;
        el.rel = "nofollow noopener noreferrer";
        el.target = "_blank";
      }
      if (onLink) onLink(el, node);
    } else if (tag === "ol") {
      const start = parseInt(node.getAttribute("start"), 10);
      if (Number.isFinite(start)) el.setAttribute("start", String(start));
    }
    copyChildren(node, el, emojis, onLink);
    to.append(el);
  }
}

function emojiMap(emojis) {
  const map = new Map();
  for (const emoji of emojis || []) {
    const url = safeUrl(emoji.static_url || emoji.url, new Set(["http:", "https:"]));
    if (url && /^\w+$/.test(emoji.shortcode)) map.set(emoji.shortcode, url);
  }
  return map;
}

/** Text with custom :shortcodes: turned into images; everything else stays a text node. */
export function emojify(text, emojis) {
  const map = emojis instanceof Map ? emojis : emojiMap(emojis);
  if (!map.size || !text.includes(":")) return document.createTextNode(text);
  const out = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/:(\w+):/g)) {
    const url = map.get(match[1]);
    if (!url) continue;
    out.append(text.slice(last, match.index));
    out.append(h("img", { class: "emoji", src: url, alt: match[0], title: match[0], draggable: "false" }));
    last = match.index + match[0].length;
  }
  out.append(text.slice(last));
  return out;
}

/** Plain text of server HTML (for labels and excerpts), without ever attaching it to the page. */
export function htmlToText(html) {
  const doc = new DOMParser().parseFromString(`<body>${html ?? ""}</body>`, "text/html");
  for (const br of doc.querySelectorAll("br")) br.replaceWith("\n");
  for (const p of doc.querySelectorAll("p")) p.append("\n\n");
  return (doc.body.textContent || "").trim();
}

// --- Small formatting helpers --------------------------------------------------------------------

/** The name to show: display name, or the username when it is empty. */
export function displayName(account) {
  return (account.display_name || "").trim() || account.username || account.acct;
}

/** Display name with custom emojis, as nodes. */
export function nameNodes(account) {
  return emojify(displayName(account), account.emojis);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto", style: "narrow" });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" });

/** "5m", "3h", or a date for anything older than a week. */
export function shortTime(iso) {
  const date = new Date(iso);
  const seconds = Math.round((Date.now() - date.getTime()) / 1000);
  if (!Number.isFinite(seconds)) return "";
  if (seconds < 45) return "now";
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h`;
  if (seconds < 7 * 86400) return `${Math.round(seconds / 86400)}d`;
  return dateFormat.format(date);
}

export function fullTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : fullFormat.format(date);
}

export function relativeLabel(iso) {
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, "second");
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86400), "day");
}

/** A <time> element that shows the short form and gives the full date to hover and screen readers. */
export function timeElement(iso) {
  return h("time", { datetime: iso, title: fullTime(iso), "aria-label": fullTime(iso), text: shortTime(iso) });
}

const compact = new Intl.NumberFormat(undefined, { notation: "compact" });
export function count(n) {
  return n ? compact.format(n) : "";
}

/** The in-app path of a profile: /web/@user or /web/@user@remote.example. */
export function profilePath(account) {
  return `/web/@${account.acct}`;
}

export function statusPath(status) {
  return `/web/@${status.account.acct}/${encodeURIComponent(status.id)}`;
}

// A neutral silhouette for accounts whose picture is missing or fails to load.
const DEFAULT_AVATAR =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" fill="#9aa9b9"/>' +
      '<circle cx="24" cy="19" r="9" fill="#e6ecf2"/><path d="M7 48c2-10 9-15 17-15s15 5 17 15z" fill="#e6ecf2"/></svg>',
  );

/** An avatar image with empty alt text: the name next to it already says who it is. */
export function avatar(account, size = 46) {
  const src = safeUrl(account.avatar_static || account.avatar, new Set(["http:", "https:"]));
  const img = h("img", {
    class: "avatar",
    src: src || DEFAULT_AVATAR,
    alt: "",
    width: size,
    height: size,
    loading: "lazy",
    decoding: "async",
  });
  img.addEventListener("error", () => (img.src = DEFAULT_AVATAR), { once: true });
  return img;
}
