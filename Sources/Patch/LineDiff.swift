// A line diff (Myers' O(ND) algorithm) and its unified form, for interdiffs between two revisions
// of a patch. Bounded: past `maxEdits` differences the rest is one replacement, never a long run.

public enum LineDiff {
    public enum Op: Sendable, Hashable { case same, removed, added }

    /// The edit script turning `a` into `b`: `(op, index in a or b)`. Equal lines are matched as
    /// Myers' greedy algorithm finds them (the shortest script); past `maxEdits` differences the
    /// remaining lines are removed and added whole.
    public static func script(_ a: [String], _ b: [String], maxEdits: Int = 4000) -> [(Op, Int)] {
        // Common head and tail first: revisions mostly differ in a few places.
        var head = 0
        while head < a.count, head < b.count, a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head, tail < b.count - head, a[a.count - 1 - tail] == b[b.count - 1 - tail] { tail += 1 }
        let x = Array(a[head..<(a.count - tail)]), y = Array(b[head..<(b.count - tail)])
        var out: [(Op, Int)] = (0..<head).map { (.same, $0) }
        out += middle(x, y, maxEdits: maxEdits).map { op, i in (op, i + head) }
        out += (0..<tail).map { (.same, a.count - tail + $0) }
        return out
    }

    private static func middle(_ a: [String], _ b: [String], maxEdits: Int) -> [(Op, Int)] {
        let n = a.count, m = b.count
        if n == 0 { return (0..<m).map { (.added, $0) } }
        if m == 0 { return (0..<n).map { (.removed, $0) } }
        let maxD = min(n + m, max(1, maxEdits))
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...maxD {
            trace.append(v)
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) { x = v[offset + k + 1] } else { x = v[offset + k - 1] + 1 }
                var y = x - k
                while x < n, y < m, a[x] == b[y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { found = true; break outer }
                k += 2
            }
        }
        guard found else {
            return (0..<n).map { (Op.removed, $0) } + (0..<m).map { (Op.added, $0) }
        }
        // Walk back through the saved frontiers.
        var ops: [(Op, Int)] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = d == 0 ? 0 : v[offset + prevK]
            let prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1; ops.append((.same, x)) }
            if d > 0 {
                if x == prevX { y -= 1; ops.append((.added, y)) } else { x -= 1; ops.append((.removed, x)) }
            }
        }
        return ops.reversed()
    }

    /// A unified diff of two texts' lines (`@@ -a,b +c,d @@` hunks with `context` lines around each
    /// change); empty when they are equal.
    public static func unified(_ a: [String], _ b: [String], context: Int = 3, maxEdits: Int = 4000) -> [String] {
        let s = script(a, b, maxEdits: maxEdits)
        var changed: [Int] = []
        for (i, e) in s.enumerated() where e.0 != .same { changed.append(i) }
        guard !changed.isEmpty else { return [] }
        // Group the changes whose context windows touch.
        var groups: [(Int, Int)] = []
        for c in changed {
            let lo = max(0, c - context), hi = min(s.count - 1, c + context)
            if let last = groups.last, lo <= last.1 + 1 { groups[groups.count - 1].1 = hi } else { groups.append((lo, hi)) }
        }
        // Line numbers before each script position.
        var oldAt = [Int](repeating: 0, count: s.count + 1), newAt = [Int](repeating: 0, count: s.count + 1)
        for (i, e) in s.enumerated() {
            oldAt[i + 1] = oldAt[i] + (e.0 == .added ? 0 : 1)
            newAt[i + 1] = newAt[i] + (e.0 == .removed ? 0 : 1)
        }
        var out: [String] = []
        for (lo, hi) in groups {
            let oldCount = oldAt[hi + 1] - oldAt[lo], newCount = newAt[hi + 1] - newAt[lo]
            out.append("@@ -\(oldAt[lo] + (oldCount > 0 ? 1 : 0)),\(oldCount) +\(newAt[lo] + (newCount > 0 ? 1 : 0)),\(newCount) @@")
            for i in lo...hi {
                let (op, j) = s[i]
                switch op {
                case .same: out.append(" " + a[j])
                case .removed: out.append("-" + a[j])
                case .added: out.append("+" + b[j])
                }
            }
        }
        return out
    }
}
