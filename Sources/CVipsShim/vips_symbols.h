// libvips and glib reached through function pointers filled by dlopen/dlsym on first use, not linked:
// linking libvips maps its whole dependency tree (about 150 libraries, 20 MB of resident memory) into every
// process at start, although most servers rarely process a picture. Included by vips_shim.c only, after
// <vips/vips.h>: each name below becomes a call through the table, so the shim's code reads as plain libvips.
// Nothing links libvips, so a call to a name missing here fails the build as an undefined reference.
// (glib's own g_object_ref macro is replaced too: the table's entry is the plain function.)
#ifndef TERN_VIPS_SYMBOLS_H
#define TERN_VIPS_SYMBOLS_H

#define TERN_VIPS_SYMBOLS(X) \
    X(g_free) \
    X(g_log_set_handler) \
    X(g_malloc) \
    X(g_malloc_n) \
    X(g_object_ref) \
    X(g_object_unref) \
    X(g_strdup) \
    X(g_strfreev) \
    X(vips_area_unref) \
    X(vips_array_double_new) \
    X(vips_arrayjoin) \
    X(vips_block_untrusted_set) \
    X(vips_cache_set_max) \
    X(vips_cache_set_max_files) \
    X(vips_cache_set_max_mem) \
    X(vips_cast_uchar) \
    X(vips_colourspace) \
    X(vips_concurrency_set) \
    X(vips_copy) \
    X(vips_error) \
    X(vips_error_buffer_copy) \
    X(vips_error_clear) \
    X(vips_extract_band) \
    X(vips_flatten) \
    X(vips_foreign_find_load_buffer) \
    X(vips_gifload_buffer) \
    X(vips_gifsave_buffer) \
    X(vips_heifload_buffer) \
    X(vips_heifsave_buffer) \
    X(vips_image_copy_memory) \
    X(vips_image_get_as_string) \
    X(vips_image_get_bands) \
    X(vips_image_get_fields) \
    X(vips_image_get_height) \
    X(vips_image_get_n_pages) \
    X(vips_image_get_orientation) \
    X(vips_image_get_page_height) \
    X(vips_image_get_typeof) \
    X(vips_image_get_width) \
    X(vips_image_hasalpha) \
    X(vips_image_new_from_memory_copy) \
    X(vips_image_remove) \
    X(vips_image_set_array_int) \
    X(vips_image_set_blob_copy) \
    X(vips_image_set_int) \
    X(vips_image_set_string) \
    X(vips_image_write_to_memory) \
    X(vips_init) \
    X(vips_isprefix) \
    X(vips_jpegload_buffer) \
    X(vips_jpegsave_buffer) \
    X(vips_pngload_buffer) \
    X(vips_pngsave_buffer) \
    X(vips_thumbnail_buffer) \
    X(vips_thumbnail_image) \
    X(vips_webpload_buffer) \
    X(vips_webpsave_buffer)

struct tern_vips_table {
#define TERN_VIPS_FIELD(name) __typeof__(name) *p_##name;
    TERN_VIPS_SYMBOLS(TERN_VIPS_FIELD)
#undef TERN_VIPS_FIELD
};

static struct tern_vips_table tern_vips;

#undef g_free
#define g_free (tern_vips.p_g_free)
#undef g_log_set_handler
#define g_log_set_handler (tern_vips.p_g_log_set_handler)
#undef g_malloc
#define g_malloc (tern_vips.p_g_malloc)
#undef g_malloc_n
#define g_malloc_n (tern_vips.p_g_malloc_n)
#undef g_object_ref
#define g_object_ref (tern_vips.p_g_object_ref)
#undef g_object_unref
#define g_object_unref (tern_vips.p_g_object_unref)
#undef g_strdup
#define g_strdup (tern_vips.p_g_strdup)
#undef g_strfreev
#define g_strfreev (tern_vips.p_g_strfreev)
#undef vips_area_unref
#define vips_area_unref (tern_vips.p_vips_area_unref)
#undef vips_array_double_new
#define vips_array_double_new (tern_vips.p_vips_array_double_new)
#undef vips_arrayjoin
#define vips_arrayjoin (tern_vips.p_vips_arrayjoin)
#undef vips_block_untrusted_set
#define vips_block_untrusted_set (tern_vips.p_vips_block_untrusted_set)
#undef vips_cache_set_max
#define vips_cache_set_max (tern_vips.p_vips_cache_set_max)
#undef vips_cache_set_max_files
#define vips_cache_set_max_files (tern_vips.p_vips_cache_set_max_files)
#undef vips_cache_set_max_mem
#define vips_cache_set_max_mem (tern_vips.p_vips_cache_set_max_mem)
#undef vips_cast_uchar
#define vips_cast_uchar (tern_vips.p_vips_cast_uchar)
#undef vips_colourspace
#define vips_colourspace (tern_vips.p_vips_colourspace)
#undef vips_concurrency_set
#define vips_concurrency_set (tern_vips.p_vips_concurrency_set)
#undef vips_copy
#define vips_copy (tern_vips.p_vips_copy)
#undef vips_error
#define vips_error (tern_vips.p_vips_error)
#undef vips_error_buffer_copy
#define vips_error_buffer_copy (tern_vips.p_vips_error_buffer_copy)
#undef vips_error_clear
#define vips_error_clear (tern_vips.p_vips_error_clear)
#undef vips_extract_band
#define vips_extract_band (tern_vips.p_vips_extract_band)
#undef vips_flatten
#define vips_flatten (tern_vips.p_vips_flatten)
#undef vips_foreign_find_load_buffer
#define vips_foreign_find_load_buffer (tern_vips.p_vips_foreign_find_load_buffer)
#undef vips_gifload_buffer
#define vips_gifload_buffer (tern_vips.p_vips_gifload_buffer)
#undef vips_gifsave_buffer
#define vips_gifsave_buffer (tern_vips.p_vips_gifsave_buffer)
#undef vips_heifload_buffer
#define vips_heifload_buffer (tern_vips.p_vips_heifload_buffer)
#undef vips_heifsave_buffer
#define vips_heifsave_buffer (tern_vips.p_vips_heifsave_buffer)
#undef vips_image_copy_memory
#define vips_image_copy_memory (tern_vips.p_vips_image_copy_memory)
#undef vips_image_get_as_string
#define vips_image_get_as_string (tern_vips.p_vips_image_get_as_string)
#undef vips_image_get_bands
#define vips_image_get_bands (tern_vips.p_vips_image_get_bands)
#undef vips_image_get_fields
#define vips_image_get_fields (tern_vips.p_vips_image_get_fields)
#undef vips_image_get_height
#define vips_image_get_height (tern_vips.p_vips_image_get_height)
#undef vips_image_get_n_pages
#define vips_image_get_n_pages (tern_vips.p_vips_image_get_n_pages)
#undef vips_image_get_orientation
#define vips_image_get_orientation (tern_vips.p_vips_image_get_orientation)
#undef vips_image_get_page_height
#define vips_image_get_page_height (tern_vips.p_vips_image_get_page_height)
#undef vips_image_get_typeof
#define vips_image_get_typeof (tern_vips.p_vips_image_get_typeof)
#undef vips_image_get_width
#define vips_image_get_width (tern_vips.p_vips_image_get_width)
#undef vips_image_hasalpha
#define vips_image_hasalpha (tern_vips.p_vips_image_hasalpha)
#undef vips_image_new_from_memory_copy
#define vips_image_new_from_memory_copy (tern_vips.p_vips_image_new_from_memory_copy)
#undef vips_image_remove
#define vips_image_remove (tern_vips.p_vips_image_remove)
#undef vips_image_set_array_int
#define vips_image_set_array_int (tern_vips.p_vips_image_set_array_int)
#undef vips_image_set_blob_copy
#define vips_image_set_blob_copy (tern_vips.p_vips_image_set_blob_copy)
#undef vips_image_set_int
#define vips_image_set_int (tern_vips.p_vips_image_set_int)
#undef vips_image_set_string
#define vips_image_set_string (tern_vips.p_vips_image_set_string)
#undef vips_image_write_to_memory
#define vips_image_write_to_memory (tern_vips.p_vips_image_write_to_memory)
#undef vips_init
#define vips_init (tern_vips.p_vips_init)
#undef vips_isprefix
#define vips_isprefix (tern_vips.p_vips_isprefix)
#undef vips_jpegload_buffer
#define vips_jpegload_buffer (tern_vips.p_vips_jpegload_buffer)
#undef vips_jpegsave_buffer
#define vips_jpegsave_buffer (tern_vips.p_vips_jpegsave_buffer)
#undef vips_pngload_buffer
#define vips_pngload_buffer (tern_vips.p_vips_pngload_buffer)
#undef vips_pngsave_buffer
#define vips_pngsave_buffer (tern_vips.p_vips_pngsave_buffer)
#undef vips_thumbnail_buffer
#define vips_thumbnail_buffer (tern_vips.p_vips_thumbnail_buffer)
#undef vips_thumbnail_image
#define vips_thumbnail_image (tern_vips.p_vips_thumbnail_image)
#undef vips_webpload_buffer
#define vips_webpload_buffer (tern_vips.p_vips_webpload_buffer)
#undef vips_webpsave_buffer
#define vips_webpsave_buffer (tern_vips.p_vips_webpsave_buffer)

#endif
