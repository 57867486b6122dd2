// System libqrencode (Debian: libqrencode-dev). Only the QRCode target imports this module; it frees every
// QRcode it gets with QRcode_free.
#ifndef TERN_CQRENCODE_SHIM_H
#define TERN_CQRENCODE_SHIM_H

#include <qrencode.h>

#endif
