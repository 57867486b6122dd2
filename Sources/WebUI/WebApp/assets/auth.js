// Signing in the way any third-party app does: register an OAuth application, send the person to the
// server's own sign-in and consent pages (authorization code + PKCE), exchange the code for a token.
// The app never sees a password, and a token is only ever sent in a header or a POST body.

const APP_KEY = "tern.app";
const TOKEN_KEY = "tern.token";
// The PKCE verifier and state live in sessionStorage: they only need to survive one redirect in this tab.
const PENDING_KEY = "tern.pending";
const SIGNED_OUT_KEY = "tern.signedOut";
const SCOPES = "read write follow push";

function redirectUri() {
  return `${location.origin}/web/callback`;
}

export function storedToken() {
  return localStorage.getItem(TOKEN_KEY);
}

function storedApp() {
  try {
    const app = JSON.parse(localStorage.getItem(APP_KEY) || "null");
    return app && app.client_id && app.redirect_uri === redirectUri() ? app : null;
  } catch {
    return null;
  }
}

/**
 * Whether the server still knows a cached client. A wiped or restored server would otherwise leave
 * the person stuck on an "unknown client" error page with no way back into the app.
 */
async function clientIsKnown(app) {
  const form = (extra) => new URLSearchParams({ client_id: app.client_id, client_secret: app.client_secret, ...extra });
  const response = await fetch("/oauth/token", {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: form({ grant_type: "client_credentials", scope: "read" }),
  }).catch(() => null);
  if (!response) return true; // offline: let the authorize page say so
  const body = await response.json().catch(() => ({}));
  if (body.access_token) {
    // Only a probe: the app-level token is not needed, so it is not left lying around.
    fetch("/oauth/revoke", { method: "POST", credentials: "omit", body: form({ token: body.access_token }) }).catch(() => {});
  }
  return body.error !== "invalid_client";
}

async function registeredApp() {
  const cached = storedApp();
  if (cached && (await clientIsKnown(cached))) return cached;
  const response = await fetch("/api/v1/apps", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    credentials: "omit",
    body: JSON.stringify({
      client_name: "Tern Web",
      redirect_uris: redirectUri(),
      scopes: SCOPES,
      website: location.origin,
    }),
  });
  if (!response.ok) throw new Error(`Registering the app failed (${response.status})`);
  const app = await response.json();
  const saved = { client_id: app.client_id, client_secret: app.client_secret, redirect_uri: redirectUri() };
  localStorage.setItem(APP_KEY, JSON.stringify(saved));
  return saved;
}

function base64url(bytes) {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function sha256(text) {
  const data = new TextEncoder().encode(text);
  // crypto.subtle exists only in secure contexts (https or localhost); a plain-http server on a LAN
  // name still deserves S256, so fall back to a small implementation there.
  if (globalThis.crypto && crypto.subtle) return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return sha256Fallback(data);
}

/** Starts the authorization code flow: ends with the browser on the server's sign-in page. */
export async function beginSignIn(returnTo = "/web/home") {
  const app = await registeredApp();
  const verifier = randomString(48);
  const state = randomString(24);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, returnTo }));
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  const url = new URL("/oauth/authorize", location.origin);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: app.client_id,
    redirect_uri: app.redirect_uri,
    scope: SCOPES,
    state,
    code_challenge: base64url(await sha256(verifier)),
    code_challenge_method: "S256",
  }).toString();
  // replace, not assign: Back from the app must not land on a token-less page that redirects again.
  location.replace(url.href);
}

/**
 * Finishes the flow on /web/callback. Returns the path to show next. Throws with a readable message
 * when the state does not match (a forged or replayed callback) or the exchange fails.
 */
export async function completeSignIn(query) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "null");
  sessionStorage.removeItem(PENDING_KEY);
  if (query.get("error")) {
    throw new Error(query.get("error_description") || "The sign-in was cancelled.");
  }
  const code = query.get("code");
  if (!pending || !code || query.get("state") !== pending.state) {
    throw new Error("This sign-in link is not the one this tab started, so it was ignored. Please sign in again.");
  }
  const app = storedApp();
  if (!app) throw new Error("The app registration was lost during sign-in. Please sign in again.");
  const response = await fetch("/oauth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    credentials: "omit",
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: app.redirect_uri,
      client_id: app.client_id,
      client_secret: app.client_secret,
      code_verifier: pending.verifier,
      scope: SCOPES,
    }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    // A client the server no longer knows: forget it so the next attempt registers afresh.
    if (body.error === "invalid_client") localStorage.removeItem(APP_KEY);
    throw new Error(body.error_description || "The server did not accept the sign-in. Please try again.");
  }
  localStorage.setItem(TOKEN_KEY, body.access_token);
  const back = typeof pending.returnTo === "string" ? pending.returnTo : "";
  return back.startsWith("/web/") && !back.startsWith("/web/callback") ? back : "/web/home";
}

/** Forgets the token without telling the server (it was already refused). */
export function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
}

export function wasSignedOut() {
  return sessionStorage.getItem(SIGNED_OUT_KEY) === "1";
}

/**
 * Revokes the token, then ends the server's browser session too, so that the next person at this
 * computer meets the sign-in page rather than being let straight back in.
 */
export async function signOut() {
  const token = storedToken();
  const app = storedApp();
  localStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(SIGNED_OUT_KEY, "1");
  if (token && app) {
    await fetch("/oauth/revoke", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      credentials: "omit",
      body: new URLSearchParams({ client_id: app.client_id, client_secret: app.client_secret, token }),
    }).catch(() => {});
  }
  try {
    // The sign-out form needs the CSRF token that the sign-in page hands out with its cookie.
    const page = await fetch("/auth/sign_in", { credentials: "same-origin" });
    const doc = new DOMParser().parseFromString(await page.text(), "text/html");
    const csrf = doc.querySelector('input[name="authenticity_token"]')?.value;
    if (csrf) {
      await fetch("/auth/sign_out", {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ authenticity_token: csrf }),
      });
    }
  } catch {
    // The token is gone already; a lingering browser session only skips the password next time.
  }
}

// --- SHA-256 for insecure contexts (FIPS 180-4) -----------------------------------------------------

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

export function sha256Fallback(data) {
  const bitLength = data.length * 8;
  const padded = new Uint8Array(((data.length + 9 + 63) >> 6) << 6);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const H = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const W = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) W[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(W[i - 15], 7) ^ rotr(W[i - 15], 18) ^ (W[i - 15] >>> 3);
      const s1 = rotr(W[i - 2], 17) ^ rotr(W[i - 2], 19) ^ (W[i - 2] >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = H;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + W[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += hh;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  H.forEach((word, i) => outView.setUint32(i * 4, word));
  return out;
}
