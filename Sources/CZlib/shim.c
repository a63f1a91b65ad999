#include "CZlib.h"
int lkml_inflate_init2(z_stream *strm, int window_bits) { return inflateInit2(strm, window_bits); }
int lkml_deflate_init2(z_stream *strm, int level, int window_bits, int mem_level) {
    return deflateInit2(strm, level, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY);
}
