#ifndef LKML_CCURL_H
#define LKML_CCURL_H
#include <curl/curl.h>
/* Placeholder; the Lore work adds typed wrappers around the variadic curl_easy_setopt. */
CURLcode lkml_curl_setopt_long(CURL *h, CURLoption opt, long v);
#endif
