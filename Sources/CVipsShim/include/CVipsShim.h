// Non-variadic C entry points over libvips for Swift.
//
// libvips's API takes NULL-terminated variadic option lists, which Swift cannot call, and its headers pull in glib.
// This header therefore exposes only plain C types: images are opaque `TernVipsImage` pointers (a libvips
// `VipsImage`), released with `tern_vips_unref`. Functions returning `int` return 0 on success and -1 on failure;
// after a failure `tern_vips_take_error` returns (and clears) libvips's error text.
//
// Buffers given to the load and thumbnail functions are NOT copied: they must stay valid, unchanged, for as long as
// any image derived from them exists or is being written.
#ifndef TERN_CVIPSSHIM_H
#define TERN_CVIPSSHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _VipsImage TernVipsImage;

/// Loaders `tern_vips_load` and `tern_vips_thumbnail_buffer` may use; nothing else is ever selected.
typedef enum TernVipsLoader {
    TERN_VIPS_LOADER_JPEG = 1,
    TERN_VIPS_LOADER_PNG = 2,
    TERN_VIPS_LOADER_WEBP = 3,
    TERN_VIPS_LOADER_GIF = 4,
    TERN_VIPS_LOADER_HEIF = 5,
} TernVipsLoader;

/// Starts libvips once per process (thread-safe, idempotent): small operation cache, `concurrency` worker threads
/// per pipeline, loaders marked untrusted (ImageMagick, SVG, PDF, ...) blocked, libvips's glib warnings silenced.
/// Returns 0 when libvips is usable.
/// Only the first call's `concurrency` is used.
int tern_vips_init(int concurrency);

/// Returns and clears the accumulated libvips error text (never NULL); release it with `tern_vips_free`.
char *tern_vips_take_error(void);
/// Frees memory returned by this shim (error text, encoded buffers, pixel buffers, strings).
void tern_vips_free(void *pointer);
/// Drops a reference to an image; NULL is ignored.
void tern_vips_unref(TernVipsImage *image);

// MARK: Loading

/// Opens `data` with exactly the given loader. Only the header is parsed; pixels are decoded when first needed.
/// `all_pages` loads every frame stacked vertically (page height is `tern_vips_page_height`).
/// Truncated input fails at decode time (`fail_on=truncated`).
int tern_vips_load(const void *data, size_t length, TernVipsLoader loader, int all_pages, TernVipsImage **out);

/// Decodes `data` with the given loader, shrinking on load where the format allows it, auto-rotating by EXIF
/// orientation, and resizing (down only) to fit `width` x `height` (a box in the rotated orientation). With
/// `all_pages` every frame is kept and resized. With `icc_to_srgb` an embedded ICC profile is converted to sRGB
/// (falling back to plain colourspace conversion if the profile is unusable).
int tern_vips_thumbnail_buffer(
    const void *data, size_t length, TernVipsLoader loader, int width, int height, int all_pages, int icc_to_srgb,
    TernVipsImage **out);

/// Resizes (down only) an already decoded image to fit `width` x `height`.
int tern_vips_thumbnail_image(TernVipsImage *in, int width, int height, TernVipsImage **out);

// MARK: Conversion

/// Converts to 8-bit sRGB (3 bands, or 4 with alpha).
int tern_vips_to_srgb8(TernVipsImage *in, TernVipsImage **out);
/// Removes alpha by compositing on white; images without alpha are passed through.
int tern_vips_flatten_white(TernVipsImage *in, TernVipsImage **out);
/// Returns a copy without any metadata except what animation needs (page-height, delay, loop, gif-delay, gif-loop)
/// and libvips's internal bookkeeping fields: EXIF (incl. GPS), XMP, IPTC, ICC, comments and text chunks go.
int tern_vips_strip_metadata(TernVipsImage *in, TernVipsImage **out);
/// Renders the whole image into memory.
int tern_vips_copy_memory(TernVipsImage *in, TernVipsImage **out);
/// A new image sharing pixels with `in` whose metadata can be changed without affecting `in`.
int tern_vips_copy(TernVipsImage *in, TernVipsImage **out);

// MARK: Saving (the result buffer is released with `tern_vips_free`)

int tern_vips_save_jpeg(
    TernVipsImage *in, int quality, int progressive, int optimize_coding, int strip, void **data, size_t *length);
int tern_vips_save_png(TernVipsImage *in, int strip, void **data, size_t *length);
int tern_vips_save_webp(TernVipsImage *in, int quality, int strip, void **data, size_t *length);
int tern_vips_save_gif(TernVipsImage *in, int strip, void **data, size_t *length);
/// HEIF (`av1` = 0, HEVC) or AVIF (`av1` = 1).
int tern_vips_save_heif(TernVipsImage *in, int av1, int quality, int strip, void **data, size_t *length);
/// Raw band-interleaved pixels, row-major.
int tern_vips_write_pixels(TernVipsImage *in, void **data, size_t *length);

// MARK: Inspection

int tern_vips_width(TernVipsImage *image);
int tern_vips_height(TernVipsImage *image);
int tern_vips_bands(TernVipsImage *image);
/// Height of one frame (the whole height for single-page images).
int tern_vips_page_height(TernVipsImage *image);
/// Number of frames in the file (not only the loaded ones).
int tern_vips_n_pages(TernVipsImage *image);
/// EXIF orientation 1...8 (1 when absent).
int tern_vips_orientation(TernVipsImage *image);
int tern_vips_has_alpha(TernVipsImage *image);
int tern_vips_has_field(TernVipsImage *image, const char *name);
/// Every metadata field name, NULL-terminated; release with `tern_vips_strv_free`.
char **tern_vips_field_names(TernVipsImage *image);
void tern_vips_strv_free(char **names);
/// Any field rendered as text, or NULL when absent; release with `tern_vips_free`.
char *tern_vips_field_as_string(TernVipsImage *image, const char *name);

// MARK: Building images (used by tests)

/// An 8-bit sRGB (3 or 4 bands) or grey (1 or 2 bands) image holding a copy of `pixels`.
int tern_vips_new_from_pixels(
    const void *pixels, size_t length, int width, int height, int bands, TernVipsImage **out);
/// Stacks equally sized frames into one animated image (page-height, delay per frame in ms, loop forever).
int tern_vips_join_pages(TernVipsImage **pages, int count, int delay_ms, TernVipsImage **out);
/// Metadata setters; they modify `image` in place, so use them on a fresh image or a `tern_vips_copy`.
void tern_vips_set_int(TernVipsImage *image, const char *name, int value);
void tern_vips_set_string(TernVipsImage *image, const char *name, const char *value);
void tern_vips_set_blob(TernVipsImage *image, const char *name, const void *data, size_t length);

#ifdef __cplusplus
}
#endif

#endif
