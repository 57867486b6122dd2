// Wraps libvips's variadic calls in fixed-signature functions (see include/CVipsShim.h).
#include "CVipsShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

#include "vips_symbols.h"

// MARK: Start-up and errors

static void tern_ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

static pthread_mutex_t tern_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int tern_init_state = 0;  // 0: not tried, 1: ready, -1: failed

// Opens libvips and fills the table of vips_symbols.h; 0 on success. The library stays open for the process.
static int tern_vips_open(void) {
    const char *names[] = {"libvips.so.42", "libvips.so"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !library; i++) {
        library = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
    }
    if (!library) return -1;
    // dlsym on the library's handle also searches its dependencies, where the glib functions live.
#define TERN_VIPS_RESOLVE(name)                                         \
    tern_vips.p_##name = (__typeof__(tern_vips.p_##name))dlsym(library, #name); \
    if (!tern_vips.p_##name) return -1;
    TERN_VIPS_SYMBOLS(TERN_VIPS_RESOLVE)
#undef TERN_VIPS_RESOLVE
    return 0;
}

int tern_vips_init(int concurrency) {
    pthread_mutex_lock(&tern_init_lock);
    if (tern_init_state == 0) {
        if (tern_vips_open() != 0 || vips_init("tern") != 0) {
            tern_init_state = -1;
        } else {
            // No operation cache: buffer loaders are keyed by address, and cached pipelines only cost memory here.
            vips_cache_set_max(0);
            vips_cache_set_max_mem(0);
            vips_cache_set_max_files(0);
            vips_concurrency_set(concurrency > 0 ? concurrency : 1);
            // ImageMagick, SVG, PDF, JPEG 2000, ... never run, whatever bytes arrive.
            vips_block_untrusted_set(TRUE);
            // libvips reports recoverable quirks of input files as glib warnings on stderr; with untrusted uploads
            // they are noise. Real failures still come back as errors.
            g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, tern_ignore_log, NULL);
            tern_init_state = 1;
        }
    }
    int state = tern_init_state;
    pthread_mutex_unlock(&tern_init_lock);
    return state == 1 ? 0 : -1;
}

static int tern_vips_ready(void) {
    pthread_mutex_lock(&tern_init_lock);
    int ready = tern_init_state == 1;
    pthread_mutex_unlock(&tern_init_lock);
    return ready;
}

char *tern_vips_take_error(void) {
    if (!tern_vips_ready()) return strdup("libvips is not loaded");
    char *text = vips_error_buffer_copy();
    return text ? text : g_strdup("");
}

// glib's g_free is free(); plain free() also covers the text above when libvips never loaded.
void tern_vips_free(void *pointer) { free(pointer); }

void tern_vips_unref(TernVipsImage *image) {
    if (image) g_object_unref(image);
}

// MARK: Loading

static const char *tern_loader_prefix(TernVipsLoader loader) {
    switch (loader) {
    case TERN_VIPS_LOADER_JPEG: return "VipsForeignLoadJpeg";
    case TERN_VIPS_LOADER_PNG: return "VipsForeignLoadPng";
    case TERN_VIPS_LOADER_WEBP: return "VipsForeignLoadWebp";
    case TERN_VIPS_LOADER_GIF: return "VipsForeignLoadNsgif";
    case TERN_VIPS_LOADER_HEIF: return "VipsForeignLoadHeif";
    }
    return NULL;
}

static int tern_loader_is_multipage(TernVipsLoader loader) {
    return loader == TERN_VIPS_LOADER_WEBP || loader == TERN_VIPS_LOADER_GIF;
}

int tern_vips_load(const void *data, size_t length, TernVipsLoader loader, int all_pages, TernVipsImage **out) {
    void *buffer = (void *)data;
    int pages = all_pages ? -1 : 1;
    *out = NULL;
    switch (loader) {
    case TERN_VIPS_LOADER_JPEG:
        return vips_jpegload_buffer(buffer, length, out, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    case TERN_VIPS_LOADER_PNG:
        return vips_pngload_buffer(buffer, length, out, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    case TERN_VIPS_LOADER_WEBP:
        return vips_webpload_buffer(buffer, length, out, "n", pages, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    case TERN_VIPS_LOADER_GIF:
        return vips_gifload_buffer(buffer, length, out, "n", pages, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    case TERN_VIPS_LOADER_HEIF:
        return vips_heifload_buffer(buffer, length, out, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
    }
    vips_error("tern", "unknown loader %d", (int)loader);
    return -1;
}

int tern_vips_thumbnail_buffer(
    const void *data, size_t length, TernVipsLoader loader, int width, int height, int all_pages, int icc_to_srgb,
    TernVipsImage **out) {
    *out = NULL;
    const char *prefix = tern_loader_prefix(loader);
    // vips_thumbnail_buffer picks its loader by sniffing; insist that it is the one the caller vetted.
    const char *found = vips_foreign_find_load_buffer(data, length);
    if (!prefix || !found || !vips_isprefix(prefix, found)) {
        vips_error("tern", "unexpected loader %s", found ? found : "(none)");
        return -1;
    }
    const char *options =
        (all_pages && tern_loader_is_multipage(loader)) ? "fail_on=truncated,n=-1" : "fail_on=truncated";
    void *buffer = (void *)data;
    if (icc_to_srgb) {
        if (vips_thumbnail_buffer(
                buffer, length, out, width, "height", height, "size", VIPS_SIZE_DOWN, "option_string", options,
                "export_profile", "srgb", NULL)
            == 0)
            return 0;
        // An unusable embedded profile: fall back to a plain colourspace conversion.
        vips_error_clear();
        *out = NULL;
    }
    return vips_thumbnail_buffer(
        buffer, length, out, width, "height", height, "size", VIPS_SIZE_DOWN, "option_string", options, NULL);
}

int tern_vips_thumbnail_image(TernVipsImage *in, int width, int height, TernVipsImage **out) {
    *out = NULL;
    return vips_thumbnail_image(in, out, width, "height", height, "size", VIPS_SIZE_DOWN, NULL);
}

// MARK: Conversion

int tern_vips_to_srgb8(TernVipsImage *in, TernVipsImage **out) {
    VipsImage *t[3] = {NULL, NULL, NULL};
    *out = NULL;
    if (vips_colourspace(in, &t[0], VIPS_INTERPRETATION_sRGB, NULL)) return -1;
    VipsImage *current = t[0];
    if (current->Bands > 4) {
        if (vips_extract_band(current, &t[1], 0, "n", 4, NULL)) goto fail;
        current = t[1];
    }
    if (current->BandFmt != VIPS_FORMAT_UCHAR) {
        if (vips_cast_uchar(current, &t[2], NULL)) goto fail;
        current = t[2];
    }
    g_object_ref(current);
    *out = current;
    for (int i = 0; i < 3; i++) VIPS_UNREF(t[i]);
    return 0;
fail:
    for (int i = 0; i < 3; i++) VIPS_UNREF(t[i]);
    return -1;
}

int tern_vips_flatten_white(TernVipsImage *in, TernVipsImage **out) {
    *out = NULL;
    if (!vips_image_hasalpha(in)) {
        g_object_ref(in);
        *out = in;
        return 0;
    }
    double white[3] = {255.0, 255.0, 255.0};
    VipsArrayDouble *background = vips_array_double_new(white, 3);
    VipsImage *flat = NULL;
    int result = vips_flatten(in, &flat, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    if (result) return -1;
    if (flat->BandFmt == VIPS_FORMAT_UCHAR) {
        *out = flat;
        return 0;
    }
    result = vips_cast_uchar(flat, out, NULL);
    g_object_unref(flat);
    return result;
}

static int tern_keep_field(const char *name) {
    static const char *const kept[] = {"page-height", "delay", "loop", "gif-delay", "gif-loop", "concurrency"};
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
        if (strcmp(name, kept[i]) == 0) return 1;
    // libvips's own bookkeeping ("vips-loader", "vips-sequential", ...); never written to files.
    return vips_isprefix("vips-", name);
}

int tern_vips_strip_metadata(TernVipsImage *in, TernVipsImage **out) {
    *out = NULL;
    if (vips_copy(in, out, NULL)) return -1;
    gchar **names = vips_image_get_fields(*out);
    for (gchar **name = names; name && *name; name++)
        if (!tern_keep_field(*name)) vips_image_remove(*out, *name);
    g_strfreev(names);
    return 0;
}

int tern_vips_copy_memory(TernVipsImage *in, TernVipsImage **out) {
    *out = vips_image_copy_memory(in);
    return *out ? 0 : -1;
}

int tern_vips_copy(TernVipsImage *in, TernVipsImage **out) {
    *out = NULL;
    return vips_copy(in, out, NULL);
}

// MARK: Saving

int tern_vips_save_jpeg(
    TernVipsImage *in, int quality, int progressive, int optimize_coding, int strip, void **data, size_t *length) {
    *data = NULL;
    *length = 0;
    return vips_jpegsave_buffer(
        in, data, length, "Q", quality, "interlace", progressive ? TRUE : FALSE, "optimize_coding",
        optimize_coding ? TRUE : FALSE, "strip", strip ? TRUE : FALSE, NULL);
}

int tern_vips_save_png(TernVipsImage *in, int strip, void **data, size_t *length) {
    *data = NULL;
    *length = 0;
    return vips_pngsave_buffer(in, data, length, "compression", 6, "strip", strip ? TRUE : FALSE, NULL);
}

int tern_vips_save_webp(TernVipsImage *in, int quality, int strip, void **data, size_t *length) {
    *data = NULL;
    *length = 0;
    return vips_webpsave_buffer(in, data, length, "Q", quality, "strip", strip ? TRUE : FALSE, NULL);
}

int tern_vips_save_gif(TernVipsImage *in, int strip, void **data, size_t *length) {
    *data = NULL;
    *length = 0;
    return vips_gifsave_buffer(in, data, length, "strip", strip ? TRUE : FALSE, NULL);
}

int tern_vips_save_heif(TernVipsImage *in, int av1, int quality, int strip, void **data, size_t *length) {
    *data = NULL;
    *length = 0;
    VipsForeignHeifCompression compression =
        av1 ? VIPS_FOREIGN_HEIF_COMPRESSION_AV1 : VIPS_FOREIGN_HEIF_COMPRESSION_HEVC;
    return vips_heifsave_buffer(
        in, data, length, "compression", compression, "Q", quality, "strip", strip ? TRUE : FALSE, NULL);
}

int tern_vips_write_pixels(TernVipsImage *in, void **data, size_t *length) {
    *length = 0;
    *data = vips_image_write_to_memory(in, length);
    return *data ? 0 : -1;
}

// MARK: Inspection

int tern_vips_width(TernVipsImage *image) { return vips_image_get_width(image); }
int tern_vips_height(TernVipsImage *image) { return vips_image_get_height(image); }
int tern_vips_bands(TernVipsImage *image) { return vips_image_get_bands(image); }
int tern_vips_page_height(TernVipsImage *image) { return vips_image_get_page_height(image); }
int tern_vips_n_pages(TernVipsImage *image) { return vips_image_get_n_pages(image); }
int tern_vips_orientation(TernVipsImage *image) { return vips_image_get_orientation(image); }
int tern_vips_has_alpha(TernVipsImage *image) { return vips_image_hasalpha(image) ? 1 : 0; }

int tern_vips_has_field(TernVipsImage *image, const char *name) {
    return vips_image_get_typeof(image, name) != 0 ? 1 : 0;
}

char **tern_vips_field_names(TernVipsImage *image) { return vips_image_get_fields(image); }

void tern_vips_strv_free(char **names) { g_strfreev(names); }

char *tern_vips_field_as_string(TernVipsImage *image, const char *name) {
    char *text = NULL;
    if (!vips_image_get_typeof(image, name)) return NULL;
    if (vips_image_get_as_string(image, name, &text)) {
        vips_error_clear();
        return NULL;
    }
    return text;
}

// MARK: Building images

int tern_vips_new_from_pixels(
    const void *pixels, size_t length, int width, int height, int bands, TernVipsImage **out) {
    *out = vips_image_new_from_memory_copy(pixels, length, width, height, bands, VIPS_FORMAT_UCHAR);
    if (!*out) return -1;
    (*out)->Type = bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W;
    return 0;
}

int tern_vips_join_pages(TernVipsImage **pages, int count, int delay_ms, TernVipsImage **out) {
    *out = NULL;
    if (count < 1) {
        vips_error("tern", "no pages");
        return -1;
    }
    if (vips_arrayjoin(pages, out, count, "across", 1, NULL)) return -1;
    int page_height = vips_image_get_height(pages[0]);
    vips_image_set_int(*out, VIPS_META_PAGE_HEIGHT, page_height);
    vips_image_set_int(*out, VIPS_META_N_PAGES, count);
    int *delays = g_new(int, count);
    for (int i = 0; i < count; i++) delays[i] = delay_ms;
    vips_image_set_array_int(*out, "delay", delays, count);
    g_free(delays);
    vips_image_set_int(*out, "loop", 0);
    return 0;
}

void tern_vips_set_int(TernVipsImage *image, const char *name, int value) { vips_image_set_int(image, name, value); }

void tern_vips_set_string(TernVipsImage *image, const char *name, const char *value) {
    vips_image_set_string(image, name, value);
}

void tern_vips_set_blob(TernVipsImage *image, const char *name, const void *data, size_t length) {
    vips_image_set_blob_copy(image, name, data, length);
}
