// A one-line progress display on standard error, for terminals only.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Draws `label  1.2 MiB / 3.4 MiB [#####     ]  340 KiB/s` on standard error, at most ten
/// times a second, and erases it when done. Create it only through `forStandardError` so that
/// nothing is drawn when standard error is not a terminal.
public final class TerminalProgress: FetchProgress {
    private let label: String
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// A progress display when standard error is a terminal, else nil.
    public static func forStandardError(label: String) -> TerminalProgress? {
        isatty(STDERR_FILENO) == 1 ? TerminalProgress(label: label) : nil
    }

    private init(label: String) {
        // Never echo control characters from a message-id to the terminal.
        var clean = ""
        for scalar in label.unicodeScalars.prefix(48) {
            clean.unicodeScalars.append(scalar.value < 0x20 || (0x7f..<0xa0).contains(scalar.value) ? "?" : scalar)
        }
        self.label = clean
    }

    public func update(received: Int64, expected: Int64?, decoded: Int64) {
        let now = Date()
        guard received > 0, now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        var line = "\r\u{1b}[K\(label)  \(Self.size(received))"
        if let expected, expected > 0 {
            let fraction = min(1, Double(received) / Double(expected))
            let filled = Int(fraction * 20)
            line += " / \(Self.size(expected)) [" + String(repeating: "#", count: filled)
                + String(repeating: " ", count: 20 - filled) + "]"
        }
        line += "  \(Self.size(Int64(Double(received) / elapsed)))/s"
        if decoded > 0 { line += "  (\(Self.size(decoded)) mbox)" }
        emit(line)
        drawn = true
    }

    public func finish() {
        if drawn { emit("\r\u{1b}[K") }
        drawn = false
        lastDraw = .distantPast
    }

    private func emit(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
