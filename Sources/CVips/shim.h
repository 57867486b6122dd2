// System libvips (Debian: libvips-dev). Only the C target CVipsShim includes these headers; Swift code talks to
// libvips through CVipsShim, whose public header is free of glib and libvips types.
#ifndef TERN_CVIPS_SHIM_H
#define TERN_CVIPS_SHIM_H

#include <vips/vips.h>

#endif
