// `review --only N --reviewer NAME --since DATE` (issue 16): a report cut down to some patches, one
// reviewer's words, or what was said since a date. The filter works on the report model, so every
// format (Markdown, JSON, SARIF, text, reply, --brief) shows the same cut, and a streamed review
// applies it series by series. Remark and finding ids stay those of the whole report.
import Foundation

public struct ReportFilter: Sendable, Hashable {
    /// Patch numbers to keep (`k` of `[PATCH k/n]`; a lone patch is 1, a cover letter 0); nil: all.
    public var patches: Set<Int>?
    /// Keep what this person said: a case-insensitive substring of the name or the address.
    public var reviewer: String?
    /// Keep what was said at or after this moment (remarks, trailers, questions, timeline replies).
    public var since: Date?

    public init(patches: Set<Int>? = nil, reviewer: String? = nil, since: Date? = nil) {
        self.patches = patches
        self.reviewer = reviewer.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
        self.since = since
    }

    /// Nothing is filtered.
    public var isEmpty: Bool { patches == nil && reviewer == nil && since == nil }

    // MARK: Parsing the options

    /// Patch numbers from `1`, `1,3`, `2-4` (repeatable): nil with a reason when one is not a
    /// number or a range is reversed.
    public static func patchNumbers(_ values: [String]) -> Result<Set<Int>, FilterError> {
        var out: Set<Int> = []
        for value in values {
            for piece in value.split(separator: ",", omittingEmptySubsequences: false) {
                let p = piece.trimmingCharacters(in: .whitespaces)
                let ends = p.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                guard ends.count <= 2, let lo = Int(ends[0]), lo >= 0, lo <= 9_999 else {
                    return .failure(FilterError("--only: \"\(p)\" is not a patch number or a range like 2-4"))
                }
                let hi = ends.count == 2 ? Int(ends[1]) : lo
                guard let hi, hi >= lo, hi <= 9_999 else {
                    return .failure(FilterError("--only: \"\(p)\" is not a patch number or a range like 2-4"))
                }
                out.formUnion(lo...hi)
            }
        }
        return .success(out)
    }

    /// A date as `YYYY-MM-DD` (midnight UTC) or in full, `YYYY-MM-DD[T| ]HH:MM[:SS][Z|±HH[:]MM]`
    /// (UTC when no zone is given).
    public static func date(_ text: String) -> Date? {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= s.count else { return nil }
            var n = 0
            for k in i..<(i + digits) {
                guard s[k] >= 0x30 && s[k] <= 0x39 else { return nil }
                n = n * 10 + Int(s[k] - 0x30)
            }
            i += digits
            return n
        }
        func take(_ c: UInt8) -> Bool {
            if i < s.count && s[i] == c { i += 1; return true }
            return false
        }
        guard let year = number(4), take(UInt8(ascii: "-")), let month = number(2), take(UInt8(ascii: "-")), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0, offset = 0
        if i < s.count {
            guard take(UInt8(ascii: "T")) || take(UInt8(ascii: "t")) || take(UInt8(ascii: " ")),
                  let h = number(2), take(UInt8(ascii: ":")), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h; minute = m
            if take(UInt8(ascii: ":")) {
                guard let sec = number(2), sec < 61 else { return nil }
                second = sec
            }
            _ = take(UInt8(ascii: " "))
            if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) {
            } else if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") {
                let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let zh = number(2) else { return nil }
                _ = take(UInt8(ascii: ":"))
                guard let zm = number(2), zh < 24, zm < 60 else { return nil }
                offset = sign * (zh * 60 + zm) * 60
            }
            guard i == s.count else { return nil }
        }
        var cal = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        cal.timeZone = utc
        let c = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let d = cal.date(from: c), cal.component(.day, from: d) == day else { return nil }
        return d.addingTimeInterval(TimeInterval(-offset))
    }

    // MARK: Applying it

    public func apply(_ report: ReviewReport) -> ReviewReport {
        guard !isEmpty else { return report }
        var r = report
        r.series = report.series.compactMap(apply)
        return r
    }

    /// The series cut down; nil when no patch of it is kept.
    public func apply(_ series: SeriesReport) -> SeriesReport? {
        guard !isEmpty else { return series }
        var s = series
        s.patches = series.patches.filter(keeps).map(cut)
        s.coverLetter = series.coverLetter.flatMap { keeps($0) ? cut($0) : nil }
        if s.patches.isEmpty && s.coverLetter == nil { return nil }
        if reviewer != nil || since != nil {
            s.timeline = series.timeline.filter { e in
                e.kind == .coverLetter || e.kind == .patch || e.kind == .missing ? since.map { d in (e.message.date ?? d) >= d } ?? true
                    : said(e.message.from, e.message)
            }
        }
        return s
    }

    /// The patch is one of `--only`'s numbers.
    func keeps(_ p: PatchReport) -> Bool {
        guard let patches else { return true }
        if p.source == .coverLetter { return patches.contains(0) }
        return patches.contains(p.index ?? 1)
    }

    /// Someone matches `--reviewer`.
    public func matches(_ person: Person?) -> Bool {
        guard let reviewer else { return true }
        guard let person else { return false }
        return [person.name, person.email].compactMap { $0 }.contains { $0.range(of: reviewer, options: .caseInsensitive) != nil }
    }

    /// Said by the reviewer asked for, since the date asked for.
    func said(_ who: Person?, _ message: MessageRef) -> Bool {
        guard matches(who) else { return false }
        guard let since else { return true }
        guard let d = message.date else { return false }
        return d >= since
    }

    /// What a patch keeps: its remarks, trailers and questions said by the reviewer asked for,
    /// since the date asked for. The findings are the tool's own and stay.
    func cut(_ p: PatchReport) -> PatchReport {
        guard reviewer != nil || since != nil else { return p }
        var p = p
        p.remarks = p.remarks.filter { said($0.reviewer, $0.message) }
        p.trailers = p.trailers.filter { said($0.person ?? $0.givenIn.from, $0.givenIn) || said($0.givenIn.from, $0.givenIn) }
        p.questions = p.questions.filter { said($0.askedBy, $0.message) }
        return p
    }
}

public struct FilterError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ d: String) { description = d }
}
