// The HTTP client the rest of Lore talks to: one GET or POST, body streamed to a handler.

/// Transfer settings of one request.
public struct HTTPRequest: Sendable, Hashable {
    /// The request method. public-inbox serves a thread to a GET and a search's mbox to a POST.
    public enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
    }

    /// How to reach the server.
    public enum Proxy: Sendable, Hashable {
        /// libcurl's default: `http_proxy`, `https_proxy`, `all_proxy`, `no_proxy` (lower case;
        /// `HTTPS_PROXY` and friends too, except `HTTP_PROXY`).
        case environment
        /// No proxy, whatever the environment says.
        case none
        /// This proxy URL.
        case url(String)
    }

    public var url: String
    public var method: Method
    /// What a POST sends (as `application/x-www-form-urlencoded`, libcurl's default); often
    /// nothing. Ignored for a GET.
    public var body: [UInt8]
    /// Extra request headers, `Name: value`.
    public var headers: [String]
    public var userAgent: String
    /// Seconds to wait for the connection (TCP and TLS).
    public var connectTimeout: Double
    /// Abort when fewer than `lowSpeedLimit` bytes per second arrive for `lowSpeedTime` seconds.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Int
    /// Seconds for the whole transfer; nil for no limit.
    public var totalTimeout: Double?
    /// Redirects followed at most (http and https only, never from https to http: `RedirectPolicy`).
    /// A POST answered by 301, 302 or 303 goes on as a GET (as browsers and libcurl do); 307 and
    /// 308 repeat the POST.
    public var maxRedirects: Int
    public var proxy: Proxy
    /// A CA bundle to use instead of the system store (nil: libcurl's default, the system store).
    public var caFile: String?

    public init(
        url: String,
        method: Method = .get,
        body: [UInt8] = [],
        headers: [String] = [],
        userAgent: String = "lkml-review/\(loreVersion)",
        connectTimeout: Double = 20,
        lowSpeedLimit: Int = 1024,
        lowSpeedTime: Int = 30,
        totalTimeout: Double? = nil,
        maxRedirects: Int = 5,
        proxy: Proxy = .environment,
        caFile: String? = nil
    ) {
        self.url = url
        self.method = method
        self.body = body
        self.headers = headers
        self.userAgent = userAgent
        self.connectTimeout = connectTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.totalTimeout = totalTimeout
        self.maxRedirects = maxRedirects
        self.proxy = proxy
        self.caFile = caFile
    }
}

/// The version sent in the User-Agent.
public let loreVersion = "0.1.0"

/// Status line and headers of the final response (after redirects).
public struct HTTPResponseHead: Sendable, Hashable {
    public var status: Int
    /// The URL that answered, after redirects.
    public var url: String
    /// Header fields in order, names as sent.
    public var headers: [HTTPHeader]
    /// Redirects followed to get here.
    public var redirects: Int

    public init(status: Int, url: String, headers: [HTTPHeader], redirects: Int = 0) {
        self.status = status
        self.url = url
        self.headers = headers
        self.redirects = redirects
    }

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Receives one response as it arrives. The client calls `receive(head:)` once, before any body,
/// then `receive(body:)` per chunk. Throwing from either aborts the transfer and `perform`
/// rethrows that error.
public protocol HTTPResponseHandler: AnyObject {
    func receive(head: HTTPResponseHead) throws
    func receive(body: UnsafeRawBufferPointer) throws
    /// Bytes received so far and the expected total when the server said it.
    func progress(received: Int64, expected: Int64?)
}

extension HTTPResponseHandler {
    public func progress(received: Int64, expected: Int64?) {}
}

/// One request (a GET, or a POST with its body) with the response body streamed to a handler.
/// `CurlHTTPClient` is the real one; tests and reviewing offline use others.
public protocol HTTPClient: Sendable {
    /// Performs the request; returns the final response head. Throws `HTTPTransportError` when
    /// the transfer fails, or whatever the handler threw.
    func perform(_ request: HTTPRequest, handler: any HTTPResponseHandler) throws -> HTTPResponseHead
}

/// A failed transfer (no usable HTTP response).
public struct HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case resolve, connect, timeout, connectionLost, tooManyRedirects, protocolRefused, tls
        /// A redirect from https to plain http.
        case insecureRedirect
        case badURL, tooLarge, other
    }

    public var kind: Kind
    /// What went wrong, in libcurl's words plus its detail message.
    public var message: String
    /// libcurl's CURLcode when the error came from libcurl.
    public var curlCode: Int?
    /// The URL whose transfer failed when a redirect led there (nil: the URL asked).
    public var url: String?

    public init(kind: Kind, message: String, curlCode: Int? = nil, url: String? = nil) {
        self.kind = kind
        self.message = message
        self.curlCode = curlCode
        self.url = url
    }

    /// Worth another try: connection trouble and timeouts, not policy refusals or TLS failures.
    public var isRetryable: Bool {
        switch kind {
        case .resolve, .connect, .timeout, .connectionLost: return true
        case .tooManyRedirects, .protocolRefused, .insecureRedirect, .tls, .badURL, .tooLarge, .other: return false
        }
    }

    public var description: String {
        let hint: String
        switch kind {
        case .timeout: hint = " (the server stopped sending or is too slow)"
        case .tooManyRedirects: hint = " (redirect loop?)"
        case .protocolRefused: hint = " (only http and https are followed)"
        default: hint = ""
        }
        return message + hint
    }
}

/// Which redirects a fetch follows: to http and https only, and never from https down to plain
/// http (the thread would then travel unprotected, and whoever sits in between could serve another
/// one under the https name the user gave). A redirect to another host is followed; what is
/// reported and recorded then names the URL that answered. One hop at a time, so a chain
/// https → http → https is refused at its second URL.
public enum RedirectPolicy {
    /// nil when a redirect from `current` to `target` may be followed; else why not.
    public static func refusal(from current: String, to target: String) -> HTTPTransportError? {
        let from = scheme(of: current)
        let to = scheme(of: target)
        guard to == "http" || to == "https" else {
            return HTTPTransportError(kind: .protocolRefused, message: "refused a redirect to \(printable(target))")
        }
        if from == "https" && to == "http" {
            return HTTPTransportError(kind: .insecureRedirect,
                                      message: "refused a redirect from https to plain http: \(printable(current)) -> \(printable(target))")
        }
        return nil
    }

    /// The scheme of a URL, lower-cased; "" when it has none.
    static func scheme(of url: String) -> String {
        guard let colon = url.firstIndex(of: ":") else { return "" }
        let name = url[..<colon]
        guard let first = name.first, first.isASCII, first.isLetter,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return "" }
        return name.lowercased()
    }

    /// A URL from a server's Location header, fit for one line of a message.
    static func printable(_ url: String) -> String {
        var out = ""
        for scalar in url.unicodeScalars.prefix(300) {
            if scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += (hex.count == 1 ? "%0" : "%") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return url.unicodeScalars.count > 300 ? out + "…" : out
    }
}
