// A trailer given twice counts once (issue 16): the same person's Acked-by on a patch and on its
// series' cover letter (which b4 applies to every patch), or repeated in a later reply, is one
// trailer in every format.

extension TrailerReport {
    /// The same trailer: the same key (case-insensitive) naming the same person (address, else
    /// name; the value as written when neither is known).
    func isSameTrailer(as other: TrailerReport) -> Bool {
        guard key.caseInsensitiveCompare(other.key) == .orderedSame else { return false }
        if let a = person, let b = other.person, a.email != nil || a.name != nil { return a.isSame(as: b) }
        return value.trimmingCharacters(in: .whitespaces).lowercased() == other.value.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

public enum TrailerMerge {
    /// The trailers with each one given again left out: the first giving is kept (a patch's own
    /// replies come before the cover letter's), made unconditional when a later giving is, and
    /// counted as given on the cover letter only when every giving was there.
    public static func merged(_ trailers: [TrailerReport]) -> [TrailerReport] {
        var out: [TrailerReport] = []
        for t in trailers {
            guard let k = out.firstIndex(where: { $0.isSameTrailer(as: t) }) else {
                out.append(t)
                continue
            }
            if out[k].isConditional && !t.isConditional {
                out[k].isConditional = false
                out[k].condition = nil
            }
            if !t.fromCoverLetter { out[k].fromCoverLetter = false }
        }
        return out
    }
}
