import CZlib

// Streaming gzip / zlib / raw-deflate decoding over zlib, with a hard cap on the decoded size.
//
// Mail arrives gzip-compressed from public-inbox (`t.mbox.gz`) and from archives (`.mbox.gz`).
// Both are untrusted: a few kilobytes can inflate to gigabytes (a "gzip bomb"), a transfer can
// stop in the middle of a member, and several gzip members may follow each other (what `cat a.gz
// b.gz` and `gzip -r` over pieces produce). `GzipDecoder` takes the bytes in chunks of any size,
// hands decoded bytes to the caller as they come, refuses to produce more than `limit` bytes, and
// `finish()` says whether the stream ended cleanly.

/// Why a gzip / zlib / deflate stream could not be decoded.
public enum GzipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// zlib could not set up a stream (out of memory or a zlib version mismatch).
    case initialization(code: Int32)
    /// The compressed data is not valid: zlib's own message (e.g. "incorrect header check",
    /// "invalid distance too far back", "incorrect data check").
    case corrupt(String)
    /// The input ended before the end of a member: the file or transfer was cut short.
    case truncated(inputBytes: Int, outputBytes: Int)
    /// No input at all.
    case empty
    /// Bytes after the last complete member that are neither another gzip member nor zero padding.
    case trailingGarbage(offset: Int)
    /// Decoding would produce more than `limit` bytes (a gzip bomb, or a limit set too low).
    case limitExceeded(limit: Int)
    /// `decode` or `finish` called after `finish()`.
    case alreadyFinished

    public var description: String {
        switch self {
        case .initialization(let code): return "gzip: cannot initialise zlib (code \(code))"
        case .corrupt(let message): return "gzip: corrupt data: \(message)"
        case .truncated(let inputBytes, let outputBytes):
            return "gzip: data ends early (truncated after \(inputBytes) compressed bytes, \(outputBytes) decoded)"
        case .empty: return "gzip: no data"
        case .trailingGarbage(let offset): return "gzip: unexpected data after the end of the compressed stream at byte \(offset)"
        case .limitExceeded(let limit): return "gzip: decoded data exceeds the limit of \(limit) bytes"
        case .alreadyFinished: return "gzip: decoder used after finish()"
        }
    }
}

/// A streaming decoder for gzip (RFC 1952, several members in a row allowed), zlib (RFC 1950) or
/// raw deflate (RFC 1951) data.
///
/// ```swift
/// var decoder = try GzipDecoder(limit: 256 << 20)
/// for chunk in chunks { try decoder.decode(chunk) { out.append(contentsOf: $0) } }
/// try decoder.finish()
/// ```
///
/// The decoder owns a zlib stream and is therefore not copyable.
public struct GzipDecoder: ~Copyable {
    /// What the input is.
    public enum Format: Sendable {
        /// gzip or zlib, told apart by the header (zlib's `windowBits` 15+32). The default.
        case auto
        case gzip
        case zlib
        /// Raw deflate without header or trailer.
        case raw
    }

    /// The most decoded bytes this decoder will produce.
    public let limit: Int
    public let format: Format
    /// Compressed bytes taken so far.
    public private(set) var inputBytes: Int = 0
    /// Decoded bytes produced so far.
    public private(set) var outputBytes: Int = 0
    /// Complete members decoded so far.
    public private(set) var members: Int = 0

    private enum State {
        /// Before a member: `pending` holds up to two bytes of the next member's magic.
        case between(pending: [UInt8])
        case member
        /// Zero bytes after the last member (tar-style padding); only zeros may follow.
        case padding
        case finished
    }

    private static let outputChunk = 64 * 1024
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutablePointer<UInt8>
    private var state: State = .between(pending: [])
    /// Whether the member being decoded (or the last one) is gzip, which may be followed by more.
    private var memberIsGzip = false

    /// - Parameters:
    ///   - limit: the most decoded bytes to produce; `decode` throws `GzipError.limitExceeded`
    ///     before handing out a byte beyond it.
    ///   - format: what the input is (gzip or zlib detected by default).
    public init(limit: Int = Int.max, format: Format = .auto) throws(GzipError) {
        self.limit = max(0, limit)
        self.format = format
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.outputChunk)
        let code = lkml_inflate_init2(stream, Self.windowBits(format))
        if code != Z_OK {
            stream.deinitialize(count: 1)
            stream.deallocate()
            output.deallocate()
            throw .initialization(code: code)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    private static func windowBits(_ format: Format) -> Int32 {
        switch format {
        case .auto: return 15 + 32
        case .gzip: return 15 + 16
        case .zlib: return 15
        case .raw: return -15
        }
    }

    /// Decodes one chunk of compressed input, calling `emit` with each piece of decoded output
    /// (the buffer is only valid during the call).
    public mutating func decode(
        _ chunk: UnsafeRawBufferPointer,
        _ emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), chunk.count > 0 else {
            if case .finished = state { throw GzipError.alreadyFinished }
            return
        }
        var index = 0
        let count = chunk.count
        while index < count {
            switch state {
            case .finished:
                throw GzipError.alreadyFinished
            case .padding:
                if base[index] != 0 { throw GzipError.trailingGarbage(offset: inputBytes) }
                index += 1
                inputBytes += 1
            case .member:
                let (used, ended) = try inflateSome(base + index, count - index, emit)
                index += used
                if ended { endMember() }
            case .between(var pending):
                if members == 0 {
                    // The first member: whatever it is, zlib judges its header.
                    switch format {
                    case .gzip: memberIsGzip = true
                    case .auto: memberIsGzip = base[index] == 0x1f
                    case .zlib, .raw: memberIsGzip = false
                    }
                    state = .member
                    continue
                }
                pending.append(base[index])
                index += 1
                inputBytes += 1
                if pending.count < 2 {
                    state = .between(pending: pending)
                    continue
                }
                if memberIsGzip && pending[0] == 0x1f && pending[1] == 0x8b {
                    inflateReset(stream)
                    state = .member
                    inputBytes -= 2 // counted again when inflated
                    let (_, ended) = try pending.withUnsafeBufferPointer { buffer throws in
                        // Safe: a gzip header is at least 10 bytes, so both bytes are consumed.
                        guard let start = buffer.baseAddress else { return (0, false) }
                        return try inflateSome(start, 2, emit)
                    }
                    if ended { endMember() }
                } else if pending.allSatisfy({ $0 == 0 }) {
                    state = .padding
                } else {
                    throw GzipError.trailingGarbage(offset: inputBytes - 2)
                }
            }
        }
    }

    /// Decodes one chunk and returns its decoded bytes.
    public mutating func decode(_ chunk: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try chunk.withUnsafeBytes { raw in
            try decode(raw) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Declares the end of the input. Throws `GzipError.truncated` if it stopped inside a member,
    /// `GzipError.empty` if there was no input at all.
    public mutating func finish() throws(GzipError) {
        switch state {
        case .finished:
            throw .alreadyFinished
        case .member:
            state = .finished
            throw .truncated(inputBytes: inputBytes, outputBytes: outputBytes)
        case .between(let pending):
            state = .finished
            if members == 0 { throw .empty }
            if pending.isEmpty || pending.allSatisfy({ $0 == 0 }) { return }
            if memberIsGzip && pending == [0x1f] {
                throw .truncated(inputBytes: inputBytes, outputBytes: outputBytes)
            }
            throw .trailingGarbage(offset: inputBytes - pending.count)
        case .padding:
            state = .finished
        }
    }

    private mutating func endMember() {
        members += 1
        state = .between(pending: [])
    }

    /// Runs inflate over `count` bytes at `start`; returns the bytes consumed and whether the
    /// member ended (input after the end is left unconsumed).
    private mutating func inflateSome(
        _ start: UnsafePointer<UInt8>, _ count: Int,
        _ emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (Int, Bool) {
        // avail_in is 32-bit: feed at most 1 GiB per round.
        let feed = min(count, 1 << 30)
        stream.pointee.next_in = UnsafeMutablePointer(mutating: start)
        stream.pointee.avail_in = UInt32(feed)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            stream.pointee.next_out = output
            stream.pointee.avail_out = UInt32(Self.outputChunk)
            let code = inflate(stream, Z_NO_FLUSH)
            let produced = Self.outputChunk - Int(stream.pointee.avail_out)
            let consumed = feed - Int(stream.pointee.avail_in)
            if produced > 0 {
                if produced > limit - outputBytes {
                    throw GzipError.limitExceeded(limit: limit)
                }
                outputBytes += produced
                try emit(UnsafeRawBufferPointer(start: output, count: produced))
            }
            switch code {
            case Z_STREAM_END:
                inputBytes += consumed
                return (consumed, true)
            case Z_OK, Z_BUF_ERROR:
                // Z_BUF_ERROR: no progress possible, i.e. zlib wants more input.
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 {
                    inputBytes += consumed
                    return (consumed, false)
                }
                if code == Z_BUF_ERROR && produced == 0 {
                    throw GzipError.corrupt("no progress")
                }
            case Z_NEED_DICT:
                throw GzipError.corrupt("stream needs a preset dictionary")
            case Z_MEM_ERROR:
                throw GzipError.corrupt("out of memory")
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                throw GzipError.corrupt(message)
            }
        }
    }
}

/// Decodes a whole gzip (or zlib) buffer, several gzip members included, producing at most
/// `limit` bytes.
public func gunzip(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
    var decoder = try GzipDecoder(limit: limit)
    var out: [UInt8] = []
    out.reserveCapacity(min(limit, bytes.count.multipliedReportingOverflow(by: 4).overflow ? limit : bytes.count * 4))
    try bytes.withUnsafeBytes { raw in
        try decoder.decode(raw) { out.append(contentsOf: $0) }
    }
    try decoder.finish()
    return out
}

/// Whether `bytes` starts like a gzip member (magic 1f 8b, method 8 = deflate when present).
public func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
    var iterator = bytes.makeIterator()
    guard iterator.next() == 0x1f, iterator.next() == 0x8b else { return false }
    if let method = iterator.next() { return method == 8 }
    return true
}

/// Compresses `bytes` as one gzip member (used by tests and for writing compressed files).
public func gzipCompress(_ bytes: [UInt8], level: Int32 = 6) throws(GzipError) -> [UInt8] {
    // zlib keeps a pointer back to the z_stream: it must not move, so it lives on the heap.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    let chunk = 64 * 1024
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
    defer {
        stream.deinitialize(count: 1)
        stream.deallocate()
        buffer.deallocate()
    }
    let code = lkml_deflate_init2(stream, level, 15 + 16, 8)
    if code != Z_OK { throw .initialization(code: code) }
    defer { deflateEnd(stream) }
    var out: [UInt8] = []
    var failure: Int32 = Z_OK
    bytes.withUnsafeBufferPointer { input in
        var offset = 0
        while failure == Z_OK {
            let feed = min(input.count - offset, 1 << 30)
            stream.pointee.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0 + offset) }
            stream.pointee.avail_in = UInt32(feed)
            let last = offset + feed == input.count
            var ret: Int32 = Z_OK
            repeat {
                stream.pointee.next_out = buffer
                stream.pointee.avail_out = UInt32(chunk)
                ret = deflate(stream, last ? Z_FINISH : Z_NO_FLUSH)
                if ret == Z_STREAM_ERROR { failure = ret; break }
                out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: chunk - Int(stream.pointee.avail_out)))
            } while stream.pointee.avail_out == 0 && ret != Z_STREAM_END
            offset += feed
            if last { break }
        }
        stream.pointee.next_in = nil
    }
    if failure != Z_OK { throw .corrupt("deflate failed (\(failure))") }
    return out
}
