#include "CZlib.h"
int lkml_inflate_init2(z_stream *strm, int window_bits) { return inflateInit2(strm, window_bits); }
