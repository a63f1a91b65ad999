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

/// `HTTPClient` over libcurl: HTTPS with the system CA store, proxies from the environment as
/// libcurl does, redirects followed over http/https only and at most `maxRedirects` times,
/// connect and low-speed timeouts, a `User-Agent`. One easy handle per request, so the client
/// itself holds no state and may be used from several threads at once.
public struct CurlHTTPClient: HTTPClient {
    public init() {}

    /// curl_global_init once per process (before any thread uses libcurl).
    private static let globalInit: CURLcode = lkml_curl_global_init()

    public func get(_ request: HTTPRequest, handler: any HTTPResponseHandler) throws -> HTTPResponseHead {
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
            try check(lkml_curl_setopt_str(handle, CURLOPT_URL, request.url), "CURLOPT_URL")
            try check(lkml_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
            try check(lkml_curl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "CURLOPT_PROTOCOLS_STR")
            try check(lkml_curl_setopt_str(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "CURLOPT_REDIR_PROTOCOLS_STR")
            try check(lkml_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1), "CURLOPT_FOLLOWLOCATION")
            try check(lkml_curl_setopt_long(handle, CURLOPT_MAXREDIRS, max(0, request.maxRedirects)), "CURLOPT_MAXREDIRS")
            try check(lkml_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)), "CURLOPT_CONNECTTIMEOUT_MS")
            if let total = request.totalTimeout {
                try check(lkml_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(total)), "CURLOPT_TIMEOUT_MS")
            }
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
            try check(lkml_curl_set_header_callback(handle, curlHeaderCallback, opaque), "CURLOPT_HEADERFUNCTION")
            try check(lkml_curl_set_write_callback(handle, curlWriteCallback, opaque), "CURLOPT_WRITEFUNCTION")
            try check(lkml_curl_set_progress_callback(handle, curlProgressCallback, opaque), "CURLOPT_XFERINFOFUNCTION")
        } catch let error as CurlError {
            throw HTTPTransportError(kind: .other, message: "cannot configure libcurl: \(error)", curlCode: error.code)
        }

        transfer.handle = handle
        let code = curl_easy_perform(handle)
        transfer.handle = nil
        if let failure = transfer.failure {
            // The handler (or our own bookkeeping) aborted the transfer: its error is the story.
            throw failure
        }
        if code != CURLE_OK {
            let detail = String(cString: errorBuffer).trimmingTrailingNewlines()
            throw Self.transportError(code, detail: detail)
        }
        let head = transfer.currentHead(handle)
        if !transfer.headDelivered {
            transfer.headDelivered = true
            try handler.receive(head: head)
        }
        return head
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

    static func transportError(_ code: CURLcode, detail: String) -> HTTPTransportError {
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
        return HTTPTransportError(kind: kind, message: message, curlCode: Int(code.rawValue))
    }
}

/// State of one transfer, shared with the C callbacks through their userdata pointer.
private final class Transfer {
    let handler: any HTTPResponseHandler
    var handle: UnsafeMutableRawPointer?
    var headers: [HTTPHeader] = []
    var headDelivered = false
    var failure: (any Error)?

    init(handler: any HTTPResponseHandler) { self.handler = handler }

    func currentHead(_ handle: UnsafeMutableRawPointer) -> HTTPResponseHead {
        var status = 0
        var redirects = 0
        var url = ""
        var value = 0
        if lkml_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &value) == CURLE_OK { status = value }
        if lkml_curl_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &value) == CURLE_OK { redirects = value }
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
    transfer.handler.progress(received: Int64(downloadNow), expected: downloadTotal > 0 ? Int64(downloadTotal) : nil)
    return 0
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" || last == "\r\n" { s = s.dropLast() }
        return String(s)
    }
}
