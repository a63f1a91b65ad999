#ifndef LKML_CCURL_H
#define LKML_CCURL_H
#include <curl/curl.h>
/*
 * Typed wrappers around libcurl's variadic functions (curl_easy_setopt, curl_easy_getinfo),
 * which Swift cannot call. One wrapper per argument kind; each returns the CURLcode unchanged.
 */

/* curl_global_init(CURL_GLOBAL_DEFAULT): CURL_GLOBAL_DEFAULT is a macro expression. */
CURLcode lkml_curl_global_init(void);

CURLcode lkml_curl_setopt_long(CURL *h, CURLoption opt, long v);
CURLcode lkml_curl_setopt_str(CURL *h, CURLoption opt, const char *v);
CURLcode lkml_curl_setopt_ptr(CURL *h, CURLoption opt, void *v);
CURLcode lkml_curl_setopt_off_t(CURL *h, CURLoption opt, curl_off_t v);
CURLcode lkml_curl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *v);

/* A POST of `size` bytes at `data` (copied by libcurl: CURLOPT_COPYPOSTFIELDS), `size` 0 for an
 * empty body: CURLOPT_POST=1, CURLOPT_POSTFIELDSIZE_LARGE, CURLOPT_COPYPOSTFIELDS. Never reads
 * standard input, as CURLOPT_POST alone would. */
CURLcode lkml_curl_set_post(CURL *h, const void *data, size_t size);

/* Body and header data: (data, size, nmemb, userdata) -> bytes taken; fewer aborts the transfer. */
typedef size_t (*lkml_curl_data_callback)(char *data, size_t size, size_t nmemb, void *userdata);
/* Progress: (userdata, dltotal, dlnow, ultotal, ulnow) -> nonzero aborts the transfer. */
typedef int (*lkml_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                           curl_off_t ultotal, curl_off_t ulnow);

/* Sets CURLOPT_WRITEFUNCTION and CURLOPT_WRITEDATA. */
CURLcode lkml_curl_set_write_callback(CURL *h, lkml_curl_data_callback cb, void *userdata);
/* Sets CURLOPT_HEADERFUNCTION and CURLOPT_HEADERDATA. */
CURLcode lkml_curl_set_header_callback(CURL *h, lkml_curl_data_callback cb, void *userdata);
/* Sets CURLOPT_XFERINFOFUNCTION, CURLOPT_XFERINFODATA and CURLOPT_NOPROGRESS=0. */
CURLcode lkml_curl_set_progress_callback(CURL *h, lkml_curl_xferinfo_callback cb, void *userdata);

CURLcode lkml_curl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode lkml_curl_getinfo_str(CURL *h, CURLINFO info, const char **out);
CURLcode lkml_curl_getinfo_off_t(CURL *h, CURLINFO info, curl_off_t *out);

/* CURL_ERROR_SIZE as a value (it is a macro). */
size_t lkml_curl_error_size(void);
#endif
