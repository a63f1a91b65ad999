import Foundation
import Mailbox
import Testing

@Suite struct GzipTests {
    static let sample: [UInt8] = {
        let path = Fixtures.repoRoot + "/Samples/vfio-ap-lockdep-review.eml"
        return FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? Array("fallback text\n".utf8)
    }()

    /// Runs `gzip -c` (or `gzip -c -n -9`) on bytes.
    static func gzipTool(_ bytes: [UInt8], arguments: [String] = ["-c"]) throws -> [UInt8]? {
        guard let tool = ["/usr/bin/gzip", "/bin/gzip"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("lore-gzip-\(UUID().uuidString)" + (arguments.contains("-dc") ? ".gz" : ""))
        try Data(bytes).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments + [input.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? [UInt8](data) : nil
    }

    @Test func roundTripAgainstGzipToolInChunksOfEverySize() throws {
        guard let compressed = try Self.gzipTool(Self.sample) else {
            print("skipping: no gzip tool on this machine")
            return
        }
        #expect(isGzip(compressed))
        #expect(try gunzip(compressed, limit: 1 << 20) == Self.sample)
        for chunkSize in [1, 7, 512, 65536] {
            var decoder = try GzipDecoder(limit: 1 << 20)
            var out: [UInt8] = []
            var offset = 0
            while offset < compressed.count {
                let end = min(compressed.count, offset + chunkSize)
                out += try decoder.decode(Array(compressed[offset..<end]))
                offset = end
            }
            try decoder.finish()
            #expect(out == Self.sample, "chunk size \(chunkSize)")
            #expect(decoder.members == 1)
            #expect(decoder.inputBytes == compressed.count)
            #expect(decoder.outputBytes == Self.sample.count)
        }
        // Our encoder's output is read back by gzip(1) too.
        let ours = try gzipCompress(Self.sample, level: 9)
        #expect(try Self.gzipTool(ours, arguments: ["-dc"]) == Self.sample)
    }

    @Test func concatenatedMembersDecodeToTheConcatenation() throws {
        let first = Array("From a Thu Jan  1 00:00:00 1970\nSubject: one\n\nbody one\n".utf8)
        let second = Array("From b Thu Jan  1 00:00:00 1970\nSubject: two\n\nbody two\n".utf8)
        let third: [UInt8] = []
        let stream = try gzipCompress(first) + gzipCompress(second) + gzipCompress(third)
        #expect(try gunzip(stream, limit: 1000) == first + second)
        var decoder = try GzipDecoder()
        var out: [UInt8] = []
        for byte in stream { out += try decoder.decode([byte]) }
        try decoder.finish()
        #expect(out == first + second)
        #expect(decoder.members == 3)
        if let tool = try Self.gzipTool(first) {
            #expect(try gunzip(tool + tool, limit: 1000) == first + first)
        }
    }

    @Test func truncatedStreamsAreReportedByFinish() throws {
        let compressed = try gzipCompress(Self.sample)
        for cut in [1, 2, 10, compressed.count / 2, compressed.count - 8, compressed.count - 1] {
            var decoder = try GzipDecoder()
            _ = try decoder.decode(Array(compressed[0..<cut]))
            #expect(throws: GzipError.self, "cut at \(cut)") { try decoder.finish() }
            do {
                try decoder.finish()
            } catch GzipError.alreadyFinished {
                // finish() once is enough: the state is final.
            }
        }
        var decoder = try GzipDecoder()
        _ = try decoder.decode(Array(compressed[0..<(compressed.count - 1)]))
        #expect(throws: GzipError.truncated(inputBytes: compressed.count - 1, outputBytes: Self.sample.count)) {
            try decoder.finish()
        }
        #expect(throws: GzipError.empty) { try gunzip([], limit: 10) }
        // A second member cut after its magic.
        let two = compressed + compressed.prefix(1)
        #expect(throws: GzipError.truncated(inputBytes: two.count, outputBytes: Self.sample.count)) {
            try gunzip(two, limit: 1 << 20)
        }
    }

    @Test func bombStopsAtTheCap() throws {
        let zeros = [UInt8](repeating: 0, count: 32 << 20)
        let bomb = try gzipCompress(zeros, level: 9)
        #expect(bomb.count < 64 * 1024)
        #expect(throws: GzipError.limitExceeded(limit: 1 << 20)) { try gunzip(bomb, limit: 1 << 20) }
        var decoder = try GzipDecoder(limit: 1 << 20)
        var produced = 0
        #expect(throws: GzipError.limitExceeded(limit: 1 << 20)) {
            try bomb.withUnsafeBytes { raw in try decoder.decode(raw) { produced += $0.count } }
        }
        #expect(produced <= 1 << 20)
        #expect(produced > 0)
        // Exactly at the cap is fine.
        #expect(try gunzip(try gzipCompress([UInt8](repeating: 7, count: 4096)), limit: 4096).count == 4096)
        #expect(throws: GzipError.limitExceeded(limit: 4095)) {
            try gunzip(try gzipCompress([UInt8](repeating: 7, count: 4096)), limit: 4095)
        }
    }

    @Test func corruptGarbageAndPadding() throws {
        let compressed = try gzipCompress(Self.sample)
        var corrupt = compressed
        corrupt[corrupt.count / 2] ^= 0xff
        corrupt[corrupt.count / 2 + 1] ^= 0x55
        #expect(throws: GzipError.self) { try gunzip(corrupt, limit: 1 << 20) }
        var badCRC = compressed
        badCRC[badCRC.count - 6] ^= 0x01
        #expect(throws: GzipError.corrupt("incorrect data check")) { try gunzip(badCRC, limit: 1 << 20) }
        #expect(throws: GzipError.corrupt("incorrect header check")) { try gunzip(Array("<html>".utf8), limit: 100) }
        #expect(throws: GzipError.trailingGarbage(offset: compressed.count)) {
            try gunzip(compressed + Array("junk".utf8), limit: 1 << 20)
        }
        #expect(try gunzip(compressed + [0, 0, 0, 0, 0], limit: 1 << 20) == Self.sample)
        #expect(throws: GzipError.trailingGarbage(offset: compressed.count + 2)) {
            try gunzip(compressed + [0, 0, 1], limit: 1 << 20)
        }
    }

    @Test func zlibAndRawDeflate() throws {
        // zlib header 78 9c + raw deflate of "hello hello hello" + adler32, made by zlib's compress2.
        let text = Array("hello hello hello\n".utf8)
        let gz = try gzipCompress(text)
        // Strip the 10-byte gzip header and the 8-byte trailer to get raw deflate.
        let raw = Array(gz[10..<(gz.count - 8)])
        var rawDecoder = try GzipDecoder(format: .raw)
        #expect(try rawDecoder.decode(raw) == text)
        try rawDecoder.finish()
        // A zlib stream: header 78 01 + the same deflate data + big-endian Adler-32.
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in text { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        let adler = b << 16 | a
        let zlib: [UInt8] = [0x78, 0x01] + raw + [UInt8(adler >> 24), UInt8(adler >> 16 & 0xff), UInt8(adler >> 8 & 0xff), UInt8(adler & 0xff)]
        #expect(try gunzip(zlib, limit: 100) == text)
        var strict = try GzipDecoder(format: .gzip)
        #expect(throws: GzipError.self) { _ = try strict.decode(zlib) }
    }

    @Test func mutatedStreamsNeverCrashAndNeverPassTheCap() throws {
        let compressed = try gzipCompress(Self.sample)
        var state: UInt64 = 0x9e3779b97f4a7c15
        func next() -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(truncatingIfNeeded: state & 0x7fff_ffff)
        }
        var failures = 0
        var successes = 0
        for _ in 0..<1500 {
            var bytes = compressed
            for _ in 0..<(1 + next() % 4) {
                let at = next() % bytes.count
                switch next() % 3 {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: next())
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
                }
            }
            do {
                let out = try gunzip(bytes, limit: Self.sample.count + 100)
                #expect(out.count <= Self.sample.count + 100)
                successes += 1
            } catch is GzipError {
                failures += 1
            }
        }
        #expect(failures + successes == 1500)
        #expect(failures > 1000)
    }

    @Test func gzipMagic() {
        #expect(isGzip([0x1f, 0x8b, 0x08, 0x00]))
        #expect(isGzip([0x1f, 0x8b]))
        #expect(!isGzip([0x1f, 0x8b, 0x07]))
        #expect(!isGzip(Array("From ".utf8)))
        #expect(!isGzip([UInt8]()))
        #expect(!isGzip([0x1f]))
    }
}
