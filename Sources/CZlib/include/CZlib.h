#ifndef LKML_CZLIB_H
#define LKML_CZLIB_H
#include <zlib.h>
/* inflateInit2 is a macro in zlib.h; Swift cannot import function-like macros. */
int lkml_inflate_init2(z_stream *strm, int window_bits);
#endif
