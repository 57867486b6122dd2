// Thin shim over the system gumbo HTML5 parser (Debian: libgumbo-dev).
// Swift 6 treats the C global `kGumboDefaultOptions` as shared mutable state, so it is only touched here.
#ifndef TERN_CGUMBO_SHIM_H
#define TERN_CGUMBO_SHIM_H

#include <gumbo.h>
#include <stddef.h>

/// Parses `length` bytes of UTF-8 as an HTML fragment in a `<body>` context; never records parse errors.
static inline GumboOutput *tern_gumbo_parse_body_fragment(const char *buffer, size_t length) {
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;
    options.stop_on_first_error = false;
    options.fragment_context = GUMBO_TAG_BODY;
    options.fragment_namespace = GUMBO_NAMESPACE_HTML;
    return gumbo_parse_with_options(&options, buffer, length);
}

/// Parses `length` bytes of UTF-8 as a whole HTML document; never records parse errors.
static inline GumboOutput *tern_gumbo_parse_document(const char *buffer, size_t length) {
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;
    options.stop_on_first_error = false;
    return gumbo_parse_with_options(&options, buffer, length);
}

/// Frees everything `tern_gumbo_parse_body_fragment` returned.
static inline void tern_gumbo_destroy_output(GumboOutput *output) {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
}

#endif
