// An input cut at its mbox `From ` separator lines (git's rule) into the raw bytes of each mail,
// nothing unescaped or decoded: for tools that read the text as written (a patch checker) but
// need not hold a whole archive. Gzip is decoded as it is read.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public enum RawPieces {
    /// Hands `body` the bytes of `path` (plain or gzip-compressed; `-` is standard input) piece by
    /// piece, each starting at a separator line (the first may not), in order; their concatenation
    /// is the whole (decompressed) input. A piece larger than `maxPieceBytes` is handed over in
    /// parts cut at line ends.
    public static func forEach(path: String, maxGzipBytes: Int = ReadOptions().maxGzipBytes, maxPieceBytes: Int = 64 << 20,
                               _ body: ([UInt8]) throws -> Void) throws {
        let fd = path == "-" ? 0 : open(path, O_RDONLY)
        if fd < 0 { throw MailboxError.cannotOpen(path, String(cString: strerror(errno))) }
        defer { if fd != 0 { close(fd) } }
        var source = FileDescriptorSource(fd: fd, name: path)
        let head = try source.peekMagic()
        if head.starts(with: [0x1F, 0x8B]) {
            var gz = try GzipSource(prefix: head, inner: source, name: path, limit: maxGzipBytes)
            try cut(&gz, maxPieceBytes: maxPieceBytes, body)
        } else {
            var src = PrefixedSource(prefix: head, inner: source)
            try cut(&src, maxPieceBytes: maxPieceBytes, body)
        }
    }

    static func cut<S: ByteSource>(_ source: inout S, maxPieceBytes: Int, _ body: ([UInt8]) throws -> Void) throws {
        var piece: [UInt8] = []
        var pending: [UInt8] = []   // an incomplete line carried to the next read
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        func lines(_ data: [UInt8], final: Bool) throws {
            try data.withUnsafeBufferPointer { p in
                var lo = 0
                while lo < p.count {
                    guard let base = p.baseAddress, let hit = memchr(base + lo, 0x0A, p.count - lo) else {
                        if final {
                            piece.append(contentsOf: p[lo...])
                        } else {
                            pending.append(contentsOf: p[lo...])
                        }
                        return
                    }
                    let hi = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
                    if MboxSplitter<MemorySource>.isSeparator(p, lo, hi), !piece.isEmpty {
                        try body(piece)
                        piece.removeAll(keepingCapacity: true)
                    } else if piece.count >= maxPieceBytes {
                        try body(piece)
                        piece.removeAll(keepingCapacity: true)
                    }
                    piece.append(contentsOf: p[lo..<hi])
                    lo = hi
                }
            }
        }
        while true {
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            var data = pending
            pending.removeAll(keepingCapacity: true)
            data.append(contentsOf: chunk[0..<n])
            try lines(data, final: false)
        }
        if !pending.isEmpty { try lines(pending, final: true) }
        if !piece.isEmpty { try body(piece) }
    }
}
