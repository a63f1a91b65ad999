#include "CCurl.h"

CURLcode lkml_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

CURLcode lkml_curl_setopt_long(CURL *h, CURLoption opt, long v) { return curl_easy_setopt(h, opt, v); }
CURLcode lkml_curl_setopt_str(CURL *h, CURLoption opt, const char *v) { return curl_easy_setopt(h, opt, v); }
CURLcode lkml_curl_setopt_ptr(CURL *h, CURLoption opt, void *v) { return curl_easy_setopt(h, opt, v); }
CURLcode lkml_curl_setopt_off_t(CURL *h, CURLoption opt, curl_off_t v) { return curl_easy_setopt(h, opt, v); }
CURLcode lkml_curl_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *v) { return curl_easy_setopt(h, opt, v); }

CURLcode lkml_curl_set_post(CURL *h, const void *data, size_t size) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_POST, 1L);
    if (rc != CURLE_OK) return rc;
    rc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)size);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, size > 0 && data ? (const char *)data : "");
}

CURLcode lkml_curl_set_write_callback(CURL *h, lkml_curl_data_callback cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cb);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(h, CURLOPT_WRITEDATA, userdata);
}

CURLcode lkml_curl_set_header_callback(CURL *h, lkml_curl_data_callback cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, cb);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(h, CURLOPT_HEADERDATA, userdata);
}

CURLcode lkml_curl_set_progress_callback(CURL *h, lkml_curl_xferinfo_callback cb, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb);
    if (rc != CURLE_OK) return rc;
    rc = curl_easy_setopt(h, CURLOPT_XFERINFODATA, userdata);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
}

CURLcode lkml_curl_getinfo_long(CURL *h, CURLINFO info, long *out) { return curl_easy_getinfo(h, info, out); }
CURLcode lkml_curl_getinfo_str(CURL *h, CURLINFO info, const char **out) { return curl_easy_getinfo(h, info, out); }
CURLcode lkml_curl_getinfo_off_t(CURL *h, CURLINFO info, curl_off_t *out) { return curl_easy_getinfo(h, info, out); }

size_t lkml_curl_error_size(void) { return CURL_ERROR_SIZE; }
