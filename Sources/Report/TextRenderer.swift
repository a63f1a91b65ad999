/// Renders a `ReviewReport` as lines an editor's quickfix list reads (the form gcc and sparse use):
///
///     drivers/s390/crypto/vfio_ap_ops.c:1062: warning: [lock-window] matrix_dev->lock released …
///     drivers/s390/crypto/vfio_ap_ops.c:1067: note: [lock-window] re-acquired here
///     drivers/s390/crypto/vfio_ap_ops.c:1039: note: [remark] Halil Pasic: Could for example …
///
/// Findings come first (each followed by `note` lines for its other locations), then the remarks on
/// lines, each on one line (up to 400 characters). Text from mail is put on one line with control characters shown visibly; colour (ANSI
/// SGR) only when asked for.
public struct TextRenderer: Sendable {
    public var color: Bool
    public var includeRemarks: Bool
    public var includeRelated: Bool
    public init(color: Bool = false, includeRemarks: Bool = true, includeRelated: Bool = true) {
        self.color = color; self.includeRemarks = includeRemarks; self.includeRelated = includeRelated
    }

    public func render(_ report: ReviewReport) -> String {
        var out = ""
        for s in report.series {
            for p in s.patches {
                // With a tree: which content each C file was analysed on.
                for f in p.files {
                    guard let source = f.analysisSource, let detail = f.analysisDetail, !detail.isEmpty, f.change != "added" else { continue }
                    let words = source == AnalysisSource.hunk.rawValue
                        ? "hunk mode, only the lines the patch shows (\(detail))"
                        : "analysed on whole functions (\(detail))"
                    out += line(f.path, Self.firstLine(f), "note", "[rules]", words)
                }
                for f in p.findings {
                    var msg = f.message
                    if let fn = f.function { msg += " (in \(fn), \(f.change.rawValue))" } else { msg += " (\(f.change.rawValue))" }
                    msg += f.remarks.isEmpty ? "; no reviewer mentioned this" : "; see remark \(f.remarks.joined(separator: ", "))"
                    out += line(f.file, f.line, f.severity.rawValue, "[\(f.rule)]", msg)
                    if includeRelated {
                        for l in f.locations where !(l.line == f.line && l.file == f.file) {
                            out += line(l.file, l.line, "note", "[\(f.rule)]", l.label)
                        }
                    }
                }
            }
            if includeRemarks {
                for p in s.patches {
                    for r in p.remarks where r.target == .line {
                        guard let file = r.file, let n = r.line else { continue }
                        let who = r.reviewer?.displayName ?? "unknown"
                        out += line(file, n, "note", "[remark]", "\(who): \(Self.oneLine(r.text))")
                    }
                }
            }
            out += revisionLines(s)
        }
        return out
    }

    /// A remark on one line: its lines joined (the mail's wrapping undone), cut at a word after
    /// `limit` characters with `…` (before: its first line only).
    static func oneLine(_ text: String, limit: Int = 400) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        var out = ""
        for w in words {
            if out.count + 1 + w.count > limit { return out + " …" }
            out += (out.isEmpty ? "" : " ") + w
        }
        return out
    }

    /// The first line of a file's first hunk (`-10,7 +12,8` → 12), else 1.
    static func firstLine(_ f: FileReport) -> Int {
        guard let h = f.hunks.first, let plus = h.split(separator: "+").last,
              let n = Int(plus.split(separator: ",").first ?? "") else { return 1 }
        return max(n, 1)
    }

    func line(_ file: String, _ n: Int, _ severity: String, _ tag: String, _ message: String) -> String {
        let loc = SafeText.oneLine(file) + ":\(n):"
        let sev = severity + ":"
        let msg = SafeText.oneLine(message)
        guard color else { return "\(loc) \(sev) \(tag) \(msg)\n" }
        let code: String
        switch severity {
        case "error": code = "1;31"
        case "warning": code = "1;35"
        default: code = "1;36"
        }
        return "\u{1B}[1m\(loc)\u{1B}[0m \u{1B}[\(code)m\(sev)\u{1B}[0m \(tag) \(msg)\n"
    }
}

/// `--fail-on` support: does the report hold a finding at or above `level`?
public extension ReviewReport {
    func hasFindings(atOrAbove level: Severity) -> Bool {
        allFindings.contains { $0.severity >= level && $0.change != .fixed }
    }
}
