#ifndef LKML_CZLIB_H
#define LKML_CZLIB_H
#include <zlib.h>
/* inflateInit2 and deflateInit2 are macros in zlib.h; Swift cannot import function-like macros.
 * These wrappers pass ZLIB_VERSION and sizeof(z_stream) exactly as the macros do. */
int lkml_inflate_init2(z_stream *strm, int window_bits);
int lkml_deflate_init2(z_stream *strm, int level, int window_bits, int mem_level);
#endif
