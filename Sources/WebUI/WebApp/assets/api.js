// The Mastodon client API, through fetch. The token travels only in the Authorization header:
// never in a URL, where it would end up in logs, history and Referer headers.

/** An API answer that was not 2xx; `message` is the server's `error` text when it sent one. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message || `The server answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * Parses a Link header into { next, prev } URLs (same origin only). Mastodon paginates by id with
 * max_id/min_id in these links, so following them is the only correct way to page.
 */
export function parseLinks(header) {
  const links = {};
  if (!header) return links;
  for (const part of header.split(",")) {
    const match = part.match(/<([^>]+)>\s*;\s*rel="?([^";]+)"?/);
    if (!match) continue;
    try {
      const url = new URL(match[1], location.origin);
      if (url.origin === location.origin) links[match[2]] = url.pathname + url.search;
    } catch {
      // An unparsable link is as good as none.
    }
  }
  return links;
}

export class Api {
  /** `onUnauthorized` runs once when the token stops working (revoked elsewhere, expired). */
  constructor(token, { onUnauthorized } = {}) {
    this.token = token;
    this.onUnauthorized = onUnauthorized;
  }

  /**
   * One request. `params` go to the query string, `body` is sent as JSON or, if a FormData, as
   * multipart. Returns { data, links, status }.
   */
  async request(method, path, { params, body, headers = {}, signal } = {}) {
    const url = new URL(path, location.origin);
    if (url.origin !== location.origin) throw new ApiError(0, "Refusing to send the token to another site");
    for (const [key, value] of Object.entries(params || {})) {
      if (value === undefined || value === null || value === "") continue;
      if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(`${key}[]`, v));
      else url.searchParams.set(key, value);
    }
    const init = { method, headers: { Accept: "application/json", ...headers }, signal, credentials: "omit" };
    if (this.token) init.headers.Authorization = `Bearer ${this.token}`;
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url.pathname + url.search, init);
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError(0, "The server could not be reached. Check your connection and try again.");
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      if (response.status === 401 && this.onUnauthorized) this.onUnauthorized();
      const message = (data && (data.error_description || data.error)) || undefined;
      throw new ApiError(response.status, message, data);
    }
    return { data, links: parseLinks(response.headers.get("Link")), status: response.status };
  }

  async get(path, params, options = {}) {
    return (await this.request("GET", path, { ...options, params })).data;
  }

  async post(path, body, options = {}) {
    return (await this.request("POST", path, { ...options, body })).data;
  }

  async put(path, body, options = {}) {
    return (await this.request("PUT", path, { ...options, body })).data;
  }

  async patch(path, body, options = {}) {
    return (await this.request("PATCH", path, { ...options, body })).data;
  }

  async delete(path, options = {}) {
    return (await this.request("DELETE", path, options)).data;
  }

  /** A page of a paginated list: { items, next } where `next` is the Link rel="next" path or null. */
  async page(path, params, options = {}) {
    const { data, links } = await this.request("GET", path, { ...options, params });
    return { items: Array.isArray(data) ? data : [], next: links.next || null, prev: links.prev || null };
  }
}

/** A readable sentence for any error the app shows. */
export function errorMessage(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return error.message;
    if (error.status === 404) return "Not found. It may have been deleted, or it is not visible to you.";
    if (error.status === 429) return "Too many requests: wait a moment and try again.";
    if (error.status >= 500) return "The server had a problem. Try again in a moment.";
    return error.message;
  }
  return "Something went wrong. Try again.";
}
