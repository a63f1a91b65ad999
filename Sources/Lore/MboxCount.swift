// Counting the messages of a fetched mbox: separator lines by git mailsplit's rule, the rule
// Mailbox's MboxSplitter applies too (a test checks that both agree), without copying messages.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether one line (without its newline) is an mbox separator by git mailsplit's rule: it starts
/// with `From `, is at least 20 bytes long, and ends in a date whose last `:` has digits at
/// offsets -4, -2, -1, +1, +2 and is followed (from offset +3) by a year above 90. A body line
/// `From me to you` therefore does not count, `From x Thu Jan  1 00:00:00 1970` does.
public func isMboxFromLine(_ line: UnsafeRawBufferPointer) -> Bool {
    let n = line.count
    guard n >= 20, line[0] == UInt8(ascii: "F"), line[1] == UInt8(ascii: "r"), line[2] == UInt8(ascii: "o"),
          line[3] == UInt8(ascii: "m"), line[4] == UInt8(ascii: " ") else { return false }
    // The last ':' before the final byte, not inside "From ".
    var colon = n - 2
    while colon >= 5 && line[colon] != UInt8(ascii: ":") { colon -= 1 }
    guard colon >= 9, colon + 2 < n else { return false }
    func digit(_ i: Int) -> Bool { i >= 0 && i < n && line[i] >= UInt8(ascii: "0") && line[i] <= UInt8(ascii: "9") }
    guard digit(colon - 4), digit(colon - 2), digit(colon - 1), digit(colon + 1), digit(colon + 2) else { return false }
    // The year: skip blanks after the seconds' digits, then read an optional sign and digits.
    var i = colon + 3
    while i < n && (line[i] == UInt8(ascii: " ") || (line[i] >= 0x09 && line[i] <= 0x0D)) { i += 1 } // strtol's isspace
    var negative = false
    if i < n && (line[i] == UInt8(ascii: "-") || line[i] == UInt8(ascii: "+")) {
        negative = line[i] == UInt8(ascii: "-")
        i += 1
    }
    var year = 0
    while i < n && digit(i) && year < 100_000 {
        year = year * 10 + Int(line[i] - UInt8(ascii: "0"))
        i += 1
    }
    return !negative && year > 90
}

/// Counts the mbox separator lines in `bytes` (see `isMboxFromLine`). A last line without its
/// newline is not counted: Mailbox's splitter keeps it in the message before.
public func countMboxMessages(_ bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    var start = 0
    let n = bytes.count
    while start < n {
        var end = start
        while end < n && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        if end < n && end - start >= 20 && bytes[start] == UInt8(ascii: "F") {
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            if isMboxFromLine(UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd])) { count += 1 }
        }
        start = end + 1
    }
    return count
}

/// Counts the messages of an mbox held in memory.
public func countMboxMessages(_ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBytes { countMboxMessages($0) }
}

/// Counts the messages of an mbox file, reading it in 1 MiB chunks (only a partial line is
/// carried between chunks); returns the count and the file size.
public func countMboxMessages(atPath path: String) throws(LoreError) -> (count: Int, size: Int64) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw .io(operation: "open", path: path, errno: errno) }
    defer { close(fd) }
    let chunk = 1 << 20
    var buffer = [UInt8](repeating: 0, count: chunk)
    var carry: [UInt8] = []
    var count = 0
    var size: Int64 = 0
    while true {
        let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
        if got < 0 {
            if errno == EINTR { continue }
            throw .io(operation: "read", path: path, errno: errno)
        }
        if got == 0 { break }
        size += Int64(got)
        // Count the complete lines; keep the last partial line (at most a separator's worth
        // matters, but a long line is kept whole so it is judged once).
        guard let lastNewline = buffer[0..<got].lastIndex(of: UInt8(ascii: "\n")) else {
            if carry.count < 4096 { carry.append(contentsOf: buffer[0..<min(got, 4096)]) }
            continue
        }
        carry.append(contentsOf: buffer[0...lastNewline])
        count += countMboxMessages(carry)
        carry = Array(buffer[(lastNewline + 1)..<got].prefix(4096))
    }
    count += countMboxMessages(carry)
    return (count, size)
}
