// The compose box: new posts, replies and edits, with a content warning, visibility, a character
// counter and media with alt text. One instance lives for the whole session so a half-written post
// survives moving between pages.

import { h, srOnly, displayName } from "./render.js";
import { icon } from "./icons.js";
import { errorMessage } from "./api.js";
import { toast } from "./ui.js";

const VISIBILITIES = [
  ["public", "Public"],
  ["unlisted", "Unlisted"],
  ["private", "Followers only"],
  ["direct", "Mentioned people only"],
];
const ORDER = ["public", "unlisted", "private", "direct"];
const MAX_MEDIA = 4;

/** Mastodon counts every link as 23 characters and a remote mention by its local part only. */
export function countCharacters(text) {
  const urls = /https?:\/\/[^\s<>"]+/g;
  const mentions = /(^|[^\w/])@(\w+)@[\w.-]+\w/g;
  const counted = text.replace(urls, "x".repeat(23)).replace(mentions, "$1@$2");
  return [...counted].length;
}

export class Compose {
  constructor(ctx) {
    this.ctx = ctx;
    this.maxCharacters = ctx.instance?.configuration?.statuses?.max_characters || 500;
    this.replyToStatus = null;
    this.editing = null;
    this.attachments = [];
    this.busy = false;
    this.build();
  }

  build() {
    const id = (name) => `compose-${name}`;
    this.banner = h("div", { class: "compose-banner", hidden: true });
    this.spoilerInput = h("input", {
      type: "text",
      id: id("spoiler"),
      class: "compose-spoiler",
      placeholder: "Content warning",
      "aria-label": "Content warning",
      maxlength: "500",
      hidden: true,
    });
    this.textarea = h("textarea", {
      id: id("text"),
      class: "compose-text",
      name: "status",
      rows: "5",
      placeholder: "What's on your mind?",
      "aria-label": "Post text",
      "aria-describedby": id("counter"),
    });
    this.media = h("ul", { class: "compose-media", "aria-label": "Attachments" });
    this.fileInput = h("input", { type: "file", class: "sr-only", tabindex: "-1", "aria-hidden": "true", multiple: true, accept: "image/*,video/*,audio/*" });
    this.mediaButton = h("button", { type: "button", class: "icon-button", "aria-label": "Add images, a video or an audio file", title: "Add media" }, icon("image"));
    this.cwButton = h("button", { type: "button", class: "icon-button cw-button", "aria-pressed": "false", "aria-label": "Content warning", title: "Content warning" }, icon("warning"));
    this.visibility = h(
      "select",
      { id: id("visibility"), class: "compose-visibility", "aria-label": "Who can see this post" },
      VISIBILITIES.map(([value, label]) => h("option", { value, text: label })),
    );
    this.counter = h("span", { class: "compose-counter", id: id("counter"), "aria-live": "off" });
    this.submitButton = h("button", { type: "submit", class: "button primary compose-submit", text: "Post" });
    this.message = h("p", { class: "compose-message", role: "status" });

    this.form = h(
      "form",
      { class: "compose", "aria-label": "New post", novalidate: true },
      this.banner,
      this.spoilerInput,
      this.textarea,
      this.media,
      h(
        "div",
        { class: "compose-toolbar" },
        h("div", { class: "compose-tools" }, this.mediaButton, this.cwButton, this.visibility, this.fileInput),
        h("div", { class: "compose-send" }, this.counter, this.submitButton),
      ),
      this.message,
    );
    this.el = this.form;

    this.setDefaultVisibility();
    this.updateCounter();
    this.textarea.addEventListener("input", () => this.updateCounter());
    this.spoilerInput.addEventListener("input", () => this.updateCounter());
    this.cwButton.addEventListener("click", () => this.toggleSpoiler());
    this.mediaButton.addEventListener("click", () => this.fileInput.click());
    this.fileInput.addEventListener("change", () => {
      for (const file of [...this.fileInput.files]) this.upload(file);
      this.fileInput.value = "";
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.submit();
      } else if (event.key === "Escape" && event.target instanceof HTMLTextAreaElement) {
        event.target.blur();
      }
    });
    // Pasted images become attachments, as in most composers.
    this.textarea.addEventListener("paste", (event) => {
      const files = [...(event.clipboardData?.files || [])];
      if (files.length) {
        event.preventDefault();
        files.forEach((file) => this.upload(file));
      }
    });
  }

  setDefaultVisibility() {
    this.visibility.value = this.ctx.preferences?.["posting:default:visibility"] || "public";
  }

  toggleSpoiler(force) {
    const on = force ?? this.spoilerInput.hidden;
    this.spoilerInput.hidden = !on;
    this.cwButton.setAttribute("aria-pressed", String(on));
    this.cwButton.classList.toggle("active", on);
    if (on) this.spoilerInput.focus();
    else this.spoilerInput.value = "";
    this.updateCounter();
  }

  remaining() {
    const spoiler = this.spoilerInput.hidden ? "" : this.spoilerInput.value;
    return this.maxCharacters - countCharacters(this.textarea.value) - [...spoiler].length;
  }

  updateCounter() {
    const left = this.remaining();
    this.counter.replaceChildren(String(left), srOnly(" characters left"));
    this.counter.classList.toggle("over", left < 0);
    this.counter.classList.toggle("near", left >= 0 && left < 20);
    this.updateSubmit();
  }

  updateSubmit() {
    const empty = !this.textarea.value.trim() && this.attachments.length === 0;
    const uploading = this.attachments.some((a) => !a.entity);
    this.submitButton.disabled = this.busy || empty || uploading || this.remaining() < 0;
    this.submitButton.textContent = this.editing ? "Save" : "Post";
  }

  /** Brings the compose box on screen (on a phone it is a page of its own) and puts the caret in it. */
  focus() {
    this.ctx.showCompose();
    requestAnimationFrame(() => {
      this.textarea.focus();
      const end = this.textarea.value.length;
      this.textarea.setSelectionRange(end, end);
    });
  }

  setBanner(text, onCancel) {
    if (!text) {
      this.banner.hidden = true;
      this.banner.replaceChildren();
      return;
    }
    const cancel = h("button", { type: "button", class: "icon-button", "aria-label": "Cancel", title: "Cancel" }, icon("close"));
    cancel.addEventListener("click", onCancel);
    this.banner.replaceChildren(h("span", { text }), cancel);
    this.banner.hidden = false;
  }

  replyTo(status) {
    this.reset({ keepText: false });
    this.replyToStatus = status;
    const me = this.ctx.me?.acct;
    const handles = [status.account.acct, ...(status.mentions || []).map((m) => m.acct)].filter(
      (acct, i, all) => acct !== me && all.indexOf(acct) === i,
    );
    this.textarea.value = handles.map((acct) => `@${acct} `).join("");
    // A reply is never more public than the post it answers.
    const parent = ORDER.indexOf(status.visibility);
    if (parent > ORDER.indexOf(this.visibility.value)) this.visibility.value = status.visibility;
    if (status.spoiler_text) {
      this.toggleSpoiler(true);
      this.spoilerInput.value = status.spoiler_text;
    }
    this.setBanner(`Replying to ${displayName(status.account)} (@${status.account.acct})`, () => this.reset({ keepText: false }));
    this.form.setAttribute("aria-label", `Reply to ${displayName(status.account)}`);
    this.updateCounter();
    this.focus();
  }

  mention(account) {
    this.textarea.value = `${this.textarea.value.trimEnd()} @${account.acct} `.trimStart();
    this.updateCounter();
    this.focus();
  }

  async edit(status) {
    try {
      const source = await this.ctx.api.get(`/api/v1/statuses/${encodeURIComponent(status.id)}/source`);
      this.reset({ keepText: false });
      this.editing = status;
      this.textarea.value = source.text || "";
      if (source.spoiler_text) {
        this.toggleSpoiler(true);
        this.spoilerInput.value = source.spoiler_text;
      }
      this.visibility.value = status.visibility;
      this.visibility.disabled = true;
      for (const entity of status.media_attachments || []) this.addAttachment({ entity, description: entity.description || "", original: entity.description || "" });
      this.setBanner("Editing your post", () => this.reset({ keepText: false }));
      this.form.setAttribute("aria-label", "Edit post");
      this.updateCounter();
      this.focus();
    } catch (error) {
      toast(errorMessage(error), { error: true });
    }
  }

  reset({ keepText = false } = {}) {
    this.replyToStatus = null;
    this.editing = null;
    if (!keepText) {
      this.textarea.value = "";
      this.toggleSpoiler(false);
      this.attachments = [];
      this.media.replaceChildren();
    }
    this.visibility.disabled = false;
    this.setDefaultVisibility();
    this.setBanner(null);
    this.form.setAttribute("aria-label", "New post");
    this.message.textContent = "";
    this.updateCounter();
  }

  // --- Media -------------------------------------------------------------------------------------

  addAttachment(attachment) {
    const alt = h("textarea", {
      class: "alt-text",
      rows: "2",
      maxlength: "1500",
      placeholder: "Describe this for people who cannot see it",
      "aria-label": "Alt text",
    });
    alt.value = attachment.description || "";
    alt.addEventListener("input", () => (attachment.description = alt.value));
    const remove = h("button", { type: "button", class: "icon-button", "aria-label": "Remove attachment", title: "Remove" }, icon("close"));
    remove.addEventListener("click", () => {
      this.attachments = this.attachments.filter((a) => a !== attachment);
      attachment.node.remove();
      this.updateSubmit();
      this.textarea.focus();
    });
    attachment.thumb = h("div", { class: "compose-thumb" });
    attachment.node = h("li", { class: "compose-attachment" }, attachment.thumb, h("div", { class: "compose-alt" }, alt), remove);
    this.attachments.push(attachment);
    this.media.append(attachment.node);
    this.showThumb(attachment);
    this.updateSubmit();
    return attachment;
  }

  showThumb(attachment) {
    const preview = attachment.entity?.preview_url || attachment.localUrl;
    if (preview && (attachment.entity?.type ?? "image") === "image") {
      attachment.thumb.replaceChildren(h("img", { src: preview, alt: "" }));
    } else {
      attachment.thumb.replaceChildren(h("span", { class: "small", text: attachment.entity ? attachment.entity.type : "Uploading…" }));
    }
  }

  async upload(file) {
    if (this.attachments.length >= MAX_MEDIA) {
      toast(`At most ${MAX_MEDIA} attachments per post`, { error: true });
      return;
    }
    const attachment = this.addAttachment({ entity: null, description: "", original: "", localUrl: file.type.startsWith("image/") ? URL.createObjectURL(file) : null });
    attachment.node.setAttribute("aria-busy", "true");
    try {
      const form = new FormData();
      form.append("file", file);
      let entity = await this.ctx.api.post("/api/v2/media", form);
      // 202: still processing; the url appears when it is done.
      for (let tries = 0; !entity.url && tries < 60; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        entity = await this.ctx.api.get(`/api/v1/media/${encodeURIComponent(entity.id)}`);
      }
      attachment.entity = entity;
      this.showThumb(attachment);
    } catch (error) {
      toast(`Upload failed: ${errorMessage(error)}`, { error: true });
      this.attachments = this.attachments.filter((a) => a !== attachment);
      attachment.node.remove();
    } finally {
      attachment.node.removeAttribute("aria-busy");
      if (attachment.localUrl) URL.revokeObjectURL(attachment.localUrl);
      this.updateSubmit();
    }
  }

  // --- Sending -----------------------------------------------------------------------------------

  async submit() {
    this.updateSubmit();
    if (this.submitButton.disabled) return;
    this.busy = true;
    this.updateSubmit();
    this.message.textContent = this.editing ? "Saving…" : "Posting…";
    const spoiler = this.spoilerInput.hidden ? "" : this.spoilerInput.value.trim();
    const body = {
      status: this.textarea.value,
      spoiler_text: spoiler,
      sensitive: spoiler !== "",
      media_ids: this.attachments.map((a) => a.entity.id),
    };
    try {
      let status;
      if (this.editing) {
        const before = (this.editing.media_attachments || []).map((m) => m.id).join();
        const same = before === this.attachments.map((a) => a.entity.id).join();
        if (same) {
          // Unchanged media: leave media_ids out (an edit without them keeps the media), and send
          // changed alt text both ways Mastodon servers accept it.
          delete body.media_ids;
          for (const a of this.attachments) {
            if (a.description !== a.original) {
              await this.ctx.api.put(`/api/v1/media/${encodeURIComponent(a.entity.id)}`, { description: a.description }).catch(() => {});
            }
          }
        }
        body.media_attributes = this.attachments.map((a) => ({ id: a.entity.id, description: a.description }));
        status = await this.ctx.api.put(`/api/v1/statuses/${encodeURIComponent(this.editing.id)}`, body);
      } else {
        // Alt text written after the upload is saved before the post refers to the media.
        for (const a of this.attachments) {
          if (a.description !== a.original) {
            await this.ctx.api.put(`/api/v1/media/${encodeURIComponent(a.entity.id)}`, { description: a.description });
          }
        }
        body.visibility = this.visibility.value;
        if (this.replyToStatus) body.in_reply_to_id = this.replyToStatus.id;
        // The key makes a retried request (double click, flaky network) create one post, not two.
        const key = crypto.getRandomValues(new Uint32Array(4)).join("-");
        status = await this.ctx.api.post("/api/v1/statuses", body, { headers: { "Idempotency-Key": key } });
      }
      const edited = !!this.editing;
      this.reset();
      this.ctx.onPosted(status, { edited });
    } catch (error) {
      this.message.textContent = "";
      toast(errorMessage(error), { error: true });
    } finally {
      this.busy = false;
      this.updateSubmit();
    }
  }
}
