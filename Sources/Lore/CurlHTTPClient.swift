// HTTPClient over libcurl's easy interface, through the typed CCurl shim.

import CCurl

/// A failed libcurl call: `curl_easy_strerror` plus the transfer's error buffer.
public struct CurlError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var summary: String
    public var detail: String
    public var description: String {
        detail.isEmpty || detail == summary ? "\(summary) (curl error \(code))" : "\(summary): \(detail) (curl error \(code))"
    }
}

/// `HTTPClient` over libcurl: GET, or POST with a body (copied into libcurl), HTTPS with the system
/// CA store, proxies from the environment as libcurl does, connect and low-speed timeouts, a
/// `User-Agent`. Redirects are followed here, not by libcurl, one hop at a time: each hop is checked
/// by `RedirectPolicy` (http and https only, never from https to http) before it is asked for, at
/// most `maxRedirects` of them (a POST redirected by 301, 302 or 303 goes on as a GET, by 307 or 308
/// as a POST), and the handler sees only the final response, whose head names the URL that
/// answered. One easy handle per request, so the client itself holds no state and may be used from
/// several threads at once.
public struct CurlHTTPClient: HTTPClient {
    public init() {}

    /// curl_global_init once per process (before any thread uses libcurl).
    private static let globalInit: CURLcode = lkml_curl_global_init()

    public func perform(_ request: HTTPRequest, handler: any HTTPResponseHandler) throws -> HTTPResponseHead {
        let initCode = Self.globalInit
        if initCode != CURLE_OK {
            throw HTTPTransportError(kind: .other, message: "cannot initialise libcurl: \(Self.strerror(initCode))",
                                     curlCode: Int(initCode.rawValue))
        }
        guard let handle = curl_easy_init() else {
            throw HTTPTransportError(kind: .other, message: "cannot create a libcurl handle")
        }
        defer { curl_easy_cleanup(handle) }
        let transfer = Transfer(handler: handler)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: lkml_curl_error_size() + 1)
        errorBuffer.initialize(repeating: 0, count: lkml_curl_error_size() + 1)
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        let context = Unmanaged.passRetained(transfer)
        defer { context.release() }
        let opaque = context.toOpaque()

        do {
            try check(lkml_curl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
            try check(lkml_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
            try check(lkml_curl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
            // Redirects are followed below, hop by hop; libcurl only tells where one leads.
            try check(lkml_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0), "CURLOPT_FOLLOWLOCATION")
            try check(lkml_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)), "CURLOPT_CONNECTTIMEOUT_MS")
            if request.lowSpeedTime > 0 && request.lowSpeedLimit > 0 {
                try check(lkml_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, request.lowSpeedLimit), "CURLOPT_LOW_SPEED_LIMIT")
                try check(lkml_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, request.lowSpeedTime), "CURLOPT_LOW_SPEED_TIME")
            }
            try check(lkml_curl_setopt_str(handle, CURLOPT_USERAGENT, request.userAgent), "CURLOPT_USERAGENT")
            try check(lkml_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1), "CURLOPT_SSL_VERIFYPEER")
            try check(lkml_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2), "CURLOPT_SSL_VERIFYHOST")
            if let caFile = request.caFile {
                try check(lkml_curl_setopt_str(handle, CURLOPT_CAINFO, caFile), "CURLOPT_CAINFO")
            }
            switch request.proxy {
            case .environment: break
            case .none: try check(lkml_curl_setopt_str(handle, CURLOPT_PROXY, ""), "CURLOPT_PROXY")
            case .url(let proxy): try check(lkml_curl_setopt_str(handle, CURLOPT_PROXY, proxy), "CURLOPT_PROXY")
            }
            for header in request.headers {
                guard let list = curl_slist_append(headerList, header) else {
                    throw HTTPTransportError(kind: .other, message: "out of memory building request headers")
                }
                headerList = list
            }
            if headerList != nil {
                try check(lkml_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
            }
            if request.method == .post {
                let code = request.body.withUnsafeBytes { lkml_curl_set_post(handle, $0.baseAddress, $0.count) }
                try check(code, "CURLOPT_POST")
            }
            try check(lkml_curl_set_header_callback(handle, curlHeaderCallback, opaque), "CURLOPT_HEADERFUNCTION")
            try check(lkml_curl_set_write_callback(handle, curlWriteCallback, opaque), "CURLOPT_WRITEFUNCTION")
            try check(lkml_curl_set_progress_callback(handle, curlProgressCallback, opaque), "CURLOPT_XFERINFOFUNCTION")
        } catch let error as CurlError {
            throw HTTPTransportError(kind: .other, message: "cannot configure libcurl: \(error)", curlCode: error.code)
        }

        var url = request.url
        var redirects = 0
        let clock = ContinuousClock()
        let started = clock.now
        while true {
            do {
                try check(lkml_curl_setopt_str(handle, CURLOPT_URL, url), "CURLOPT_URL")
            } catch {
                throw HTTPTransportError(kind: .badURL, message: "cannot use the URL \(RedirectPolicy.printable(url)): \(error)",
                                         curlCode: error.code, url: redirects > 0 ? url : nil)
            }
            if let total = request.totalTimeout, total > 0 {
                // The whole chain of requests shares the one timeout.
                let spent = clock.now - started
                let left = total - (Double(spent.components.seconds) + Double(spent.components.attoseconds) / 1e18)
                if left <= 0 {
                    throw HTTPTransportError(kind: .timeout, message: "no answer within \(total) s, after \(redirects) redirects",
                                             url: redirects > 0 ? url : nil)
                }
                do {
                    try check(lkml_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, Self.milliseconds(left))), "CURLOPT_TIMEOUT_MS")
                } catch {
                    throw HTTPTransportError(kind: .other, message: "cannot configure libcurl: \(error)", curlCode: error.code)
                }
            }
            errorBuffer[0] = 0
            transfer.start(redirects: redirects)
            transfer.handle = handle
            let code = curl_easy_perform(handle)
            transfer.handle = nil
            if let failure = transfer.failure {
                // The handler (or our own bookkeeping) aborted the transfer: its error is the story.
                throw failure
            }
            if !transfer.redirecting && !transfer.headDelivered && code == CURLE_OK {
                transfer.redirecting = transfer.isRedirect(handle)
            }
            if transfer.redirecting {
                // A redirect: its body was dropped (or cut short on purpose). Check the next hop.
                if code != CURLE_OK && !(code == CURLE_WRITE_ERROR && transfer.redirectBodyCut) {
                    throw Self.transportError(code, detail: Self.detail(errorBuffer), url: redirects > 0 ? url : nil)
                }
                let location = transfer.location ?? ""
                guard let target = Self.resolve(location, against: url) else {
                    throw HTTPTransportError(kind: .badURL, message: "cannot follow a redirect to \(RedirectPolicy.printable(location)): not a usable URL",
                                             url: url)
                }
                if redirects >= max(0, request.maxRedirects) {
                    throw HTTPTransportError(kind: .tooManyRedirects,
                                             message: "more than \(max(0, request.maxRedirects)) redirects, the last to \(RedirectPolicy.printable(target))",
                                             url: url)
                }
                if var refusal = RedirectPolicy.refusal(from: url, to: target) {
                    refusal.url = url
                    throw refusal
                }
                if request.method == .post, [301, 302, 303].contains(transfer.status(handle)) {
                    // The next hop is asked with a GET (and no body), as browsers and libcurl do.
                    do {
                        try check(lkml_curl_setopt_long(handle, CURLOPT_HTTPGET, 1), "CURLOPT_HTTPGET")
                    } catch {
                        throw HTTPTransportError(kind: .other, message: "cannot configure libcurl: \(error)", curlCode: error.code)
                    }
                }
                url = target
                redirects += 1
                continue
            }
            if code != CURLE_OK {
                throw Self.transportError(code, detail: Self.detail(errorBuffer), url: redirects > 0 ? url : nil)
            }
            let head = transfer.currentHead(handle)
            if !transfer.headDelivered {
                transfer.headDelivered = true
                try handler.receive(head: head)
            }
            return head
        }
    }

    private static func detail(_ errorBuffer: UnsafeMutablePointer<CChar>) -> String {
        String(cString: errorBuffer).trimmingTrailingNewlines()
    }

    /// A Location header's URL made absolute against the URL that sent it (libcurl's URL parser,
    /// as libcurl's own redirects use it: spaces and other unsafe bytes percent-encoded; schemes
    /// libcurl does not speak are kept, for `RedirectPolicy` to refuse by name). nil when it is no URL.
    static func resolve(_ location: String, against base: String) -> String? {
        guard !location.isEmpty, let parser = curl_url() else { return nil }
        defer { curl_url_cleanup(parser) }
        guard curl_url_set(parser, CURLUPART_URL, base, 0) == CURLUE_OK,
              curl_url_set(parser, CURLUPART_URL, location,
                           UInt32(CURLU_URLENCODE | CURLU_ALLOW_SPACE | CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK
        else { return nil }
        var text: UnsafeMutablePointer<CChar>?
        guard curl_url_get(parser, CURLUPART_URL, &text, 0) == CURLUE_OK, let text else { return nil }
        defer { curl_free(text) }
        return String(cString: text)
    }

    private func check(_ code: CURLcode, _ what: String) throws(CurlError) {
        if code != CURLE_OK {
            throw CurlError(code: Int(code.rawValue), summary: "\(what): \(Self.strerror(code))", detail: "")
        }
    }

    static func strerror(_ code: CURLcode) -> String {
        curl_easy_strerror(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)"
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int(min(seconds * 1000, Double(Int32.max)))
    }

    static func transportError(_ code: CURLcode, detail: String, url: String? = nil) -> HTTPTransportError {
        let kind: HTTPTransportError.Kind
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .resolve
        case CURLE_COULDNT_CONNECT: kind = .connect
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM:
            kind = .connectionLost
        case CURLE_TOO_MANY_REDIRECTS: kind = .tooManyRedirects
        case CURLE_UNSUPPORTED_PROTOCOL: kind = .protocolRefused
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE,
             CURLE_SSL_SHUTDOWN_FAILED:
            kind = .tls
        case CURLE_URL_MALFORMAT: kind = .badURL
        case CURLE_FILESIZE_EXCEEDED: kind = .tooLarge
        default: kind = .other
        }
        let summary = strerror(code)
        let message = detail.isEmpty || detail == summary ? summary : "\(summary): \(detail)"
        return HTTPTransportError(kind: kind, message: message, curlCode: Int(code.rawValue), url: url)
    }
}

/// State of one transfer, shared with the C callbacks through their userdata pointer.
private final class Transfer {
    let handler: any HTTPResponseHandler
    var handle: UnsafeMutableRawPointer?
    var headers: [HTTPHeader] = []
    var headDelivered = false
    var failure: (any Error)?
    /// Redirects followed before the current response.
    var redirects = 0
    /// The current response is a redirect (its body is dropped, the handler never sees it).
    var redirecting = false
    /// Body bytes of a redirect dropped so far; past `redirectBodyLimit` the transfer is cut.
    var redirectBody = 0
    var redirectBodyCut = false
    static let redirectBodyLimit = 64 << 10

    init(handler: any HTTPResponseHandler) { self.handler = handler }

    /// Before each request of the chain.
    func start(redirects: Int) {
        self.redirects = redirects
        headers = []
        redirecting = false
        redirectBody = 0
        redirectBodyCut = false
    }

    /// The current response's Location header.
    var location: String? {
        headers.last { $0.name.lowercased() == "location" }?.value
    }

    /// A redirect to follow: 301, 302, 303, 307 or 308 with a Location header.
    func isRedirect(_ handle: UnsafeMutableRawPointer) -> Bool {
        [301, 302, 303, 307, 308].contains(status(handle)) && location?.isEmpty == false
    }

    /// The current response's status code (0 when libcurl cannot say).
    func status(_ handle: UnsafeMutableRawPointer) -> Int {
        var status = 0
        guard lkml_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK else { return 0 }
        return status
    }

    func currentHead(_ handle: UnsafeMutableRawPointer) -> HTTPResponseHead {
        var status = 0
        var url = ""
        var value = 0
        if lkml_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &value) == CURLE_OK { status = value }
        var text: UnsafePointer<CChar>?
        if lkml_curl_getinfo_str(handle, CURLINFO_EFFECTIVE_URL, &text) == CURLE_OK, let text {
            url = String(cString: text)
        }
        return HTTPResponseHead(status: status, url: url, headers: headers, redirects: redirects)
    }

    /// A header line: a status line starts a new response (redirects, 100 Continue).
    func header(_ line: UnsafeRawBufferPointer) {
        let text = String(decoding: line, as: UTF8.self).trimmingTrailingNewlines()
        if text.hasPrefix("HTTP/") {
            headers = []
            return
        }
        guard let colon = text.firstIndex(of: ":"), headers.count < 500 else { return }
        let name = String(text[..<colon])
        let value = String(Substring(text[text.index(after: colon)...]).trimmingWhitespace())
        headers.append(HTTPHeader(name: name, value: value))
    }

    func body(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if !redirecting, !headDelivered, let handle {
            redirecting = isRedirect(handle)
        }
        if redirecting {
            redirectBody += chunk.count
            if redirectBody > Self.redirectBodyLimit {
                redirectBodyCut = true
                return false
            }
            return true
        }
        do {
            if !headDelivered, let handle {
                headDelivered = true
                try handler.receive(head: currentHead(handle))
            }
            try handler.receive(body: chunk)
            return true
        } catch {
            failure = error
            return false
        }
    }
}

private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let total = size * count
    guard total > 0, let data else { return total }
    return transfer.body(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
}

private func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                                _ userdata: UnsafeMutableRawPointer?) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let total = size * count
    if total > 0, let data {
        transfer.header(UnsafeRawBufferPointer(start: data, count: total))
    }
    return total
}

private func curlProgressCallback(_ userdata: UnsafeMutableRawPointer?, _ downloadTotal: curl_off_t,
                                  _ downloadNow: curl_off_t, _ uploadTotal: curl_off_t,
                                  _ uploadNow: curl_off_t) -> Int32 {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    // Only the final response's bytes: a redirect's body is no part of the download.
    if transfer.headDelivered {
        transfer.handler.progress(received: Int64(downloadNow), expected: downloadTotal > 0 ? Int64(downloadTotal) : nil)
    }
    return 0
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == "\r\n" { s = s.dropLast() }
        return String(s)
    }
}
