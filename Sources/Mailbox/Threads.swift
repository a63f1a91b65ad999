// Threads from `References` / `In-Reply-To` (missing parents as placeholders, duplicate
// Message-IDs dropped, loops refused), children ordered by date; patch series grouped and series
// revisions (v1, v2, …) told apart.
import Foundation

/// Messages arranged as threads.
public struct ThreadSet: Sendable {
    public struct Node: Sendable, Hashable {
        public var id: String
        /// Index into `messages`; nil for a placeholder (a parent that is not in the input).
        public var message: Int?
        public var parent: Int?
        public var children: [Int]
    }

    /// A patch series: a cover letter (0/N) and patches 1…N of one version.
    public struct Series: Sendable, Hashable {
        public var title: String
        public var version: Int
        public var total: Int
        public var author: Address?
        public var coverLetter: Int?
        /// Message indices of patches 1…N in order; nil where a patch is missing.
        public var patches: [Int?]
        public var isComplete: Bool { !patches.contains(nil) }
    }

    public private(set) var messages: [Message]
    public private(set) var nodes: [Node]
    public private(set) var roots: [Int]
    /// Messages dropped as duplicates (same Message-ID as an earlier one), with their index in the input.
    public private(set) var duplicates: [Message]
    public private(set) var series: [Series]
    private var byID: [String: Int]
    private var nodeOfMessage: [Int]

    public init(messages input: [Message]) {
        var messages: [Message] = []
        var duplicates: [Message] = []
        var byID: [String: Int] = [:]
        var nodes: [Node] = []
        var nodeOfMessage: [Int] = []
        func node(for id: String) -> Int {
            if let n = byID[id] { return n }
            nodes.append(Node(id: id, message: nil, parent: nil, children: []))
            byID[id] = nodes.count - 1
            return nodes.count - 1
        }
        for var m in input {
            let id = m.messageID ?? "no-message-id-\(m.index)@lkml-review.invalid"
            if let n = byID[id], nodes[n].message != nil {
                m.warnings.append(ParseWarning(.duplicateMessageID, "Message-ID <\(id)> seen before; this copy dropped"))
                duplicates.append(m)
                continue
            }
            messages.append(m)
            let n = node(for: id)
            nodes[n].message = messages.count - 1
            nodeOfMessage.append(n)
        }
        // Reference chains first (weak links), then each message's own parent (strong link).
        var strongParent = Set<Int>()
        for (mi, m) in messages.enumerated() {
            var chain = m.references
            if let irt = m.inReplyTo, chain.last != irt { chain.append(irt) }
            var prev: Int?
            for ref in chain {
                let r = node(for: ref)
                if let p = prev, p != r, nodes[r].parent == nil, !strongParent.contains(r) {
                    nodes[r].parent = p
                }
                prev = r
            }
            let me = nodeOfMessage[mi]
            if let parentID = m.inReplyTo ?? m.references.last {
                let p = node(for: parentID)
                if p != me {
                    nodes[me].parent = p
                    strongParent.insert(me)
                }
            }
        }
        // Break loops (forged or broken References) in one pass over the nodes: each node is
        // walked once; a loop loses one link, a weak one when there is one.
        var state = [UInt8](repeating: 0, count: nodes.count) // 0 new, 1 on the current path, 2 done
        for start in nodes.indices where state[start] == 0 {
            var path: [Int] = []
            var n = start
            while state[n] != 2 {
                if state[n] == 1 {
                    let loop = path[(path.firstIndex(of: n) ?? 0)...]
                    let cut = loop.first { !strongParent.contains($0) } ?? path[path.count - 1]
                    nodes[cut].parent = nil
                    break
                }
                state[n] = 1
                path.append(n)
                guard let p = nodes[n].parent else { break }
                n = p
            }
            for x in path { state[x] = 2 }
        }
        for i in nodes.indices { if let p = nodes[i].parent { nodes[p].children.append(i) } }
        func sortKey(_ n: Int) -> (Double, Int) {
            if let mi = nodes[n].message {
                return (messages[mi].date?.timeIntervalSince1970 ?? Double(messages[mi].index), messages[mi].index)
            }
            // a placeholder sorts by its earliest message below it (placeholder children looked through)
            var best: Double?
            var stack = nodes[n].children
            var steps = 0
            while let c = stack.popLast(), steps < nodes.count {
                steps += 1
                if let mi = nodes[c].message {
                    let d = messages[mi].date?.timeIntervalSince1970 ?? Double(messages[mi].index)
                    best = min(best ?? d, d)
                } else {
                    stack += nodes[c].children
                }
            }
            return (best ?? 0, Int.max)
        }
        // Keys computed once: sorting `nodes[i].children` in place while the comparator reads
        // `nodes` would be an exclusivity violation (a trap), and a placeholder's key walks its
        // subtree (per comparison that would be quadratic).
        let keys = nodes.indices.map(sortKey)
        for i in nodes.indices where nodes[i].children.count > 1 {
            nodes[i].children.sort { keys[$0] < keys[$1] }
        }
        roots = nodes.indices.filter { nodes[$0].parent == nil }.sorted { keys[$0] < keys[$1] }
        self.messages = messages
        self.nodes = nodes
        self.duplicates = duplicates
        self.byID = byID
        self.nodeOfMessage = nodeOfMessage
        self.series = []
        self.series = Self.groupSeries(self)
    }

    /// The message with this Message-ID.
    public func message(id: String) -> Message? {
        guard let n = byID[id], let mi = nodes[n].message else { return nil }
        return messages[mi]
    }

    /// The node index of a message index.
    public func node(ofMessage index: Int) -> Int { nodeOfMessage[index] }

    /// The message indices of the parent chain of a message, nearest first (placeholders skipped,
    /// but the distance is kept in `depth`).
    public func ancestors(ofMessage index: Int) -> [(message: Int, depth: Int)] {
        var result: [(Int, Int)] = []
        var n = nodes[nodeOfMessage[index]].parent
        var depth = 1
        while let p = n, depth <= nodes.count {
            if let mi = nodes[p].message { result.append((mi, depth)) }
            n = nodes[p].parent
            depth += 1
        }
        return result
    }

    /// The root node of the thread holding a message.
    public func root(ofMessage index: Int) -> Int {
        var n = nodeOfMessage[index]
        var steps = 0
        while let p = nodes[n].parent, steps <= nodes.count { n = p; steps += 1 }
        return n
    }

    /// Depth-first order of a thread (or of all threads): node index and depth.
    public func walk(from start: Int? = nil) -> [(node: Int, depth: Int)] {
        var out: [(Int, Int)] = []
        var stack: [(Int, Int)] = (start.map { [$0] } ?? roots).reversed().map { ($0, 0) }
        var seen = Set<Int>()
        while let (n, d) = stack.popLast() {
            guard seen.insert(n).inserted else { continue }
            out.append((n, d))
            for c in nodes[n].children.reversed() { stack.append((c, d + 1)) }
        }
        return out
    }

    private static func groupSeries(_ t: ThreadSet) -> [Series] {
        struct Key: Hashable { var root: Int; var version: Int; var total: Int; var author: String }
        var groups: [Key: Series] = [:]
        var order: [Key] = []
        for (mi, m) in t.messages.enumerated() {
            let s = m.subjectInfo
            // A mail is a patch when it holds a diff, whatever its subject says (`[RFC] …`,
            // `[BUG] …`, no bracket at all); a reply stays a reply.
            guard !s.isReply, s.isPatch || (m.holdsDiff && !s.isPullRequest) else { continue }
            let total = s.total ?? 1
            let idx = s.index ?? 1
            guard total >= 1, total <= 2000, idx >= 0, idx <= total else { continue }
            let key = Key(root: s.total == nil ? t.nodeOfMessage[mi] : t.root(ofMessage: mi), version: s.version, total: total,
                          author: m.from?.email.lowercased() ?? "")
            if groups[key] == nil {
                groups[key] = Series(title: s.title, version: s.version, total: total, author: m.from, coverLetter: nil,
                                     patches: Array(repeating: nil, count: total))
                order.append(key)
            }
            if idx == 0 {
                groups[key]!.coverLetter = mi
                groups[key]!.title = s.title
            } else if groups[key]!.patches[idx - 1] == nil {
                groups[key]!.patches[idx - 1] = mi
                if idx == 1 && groups[key]!.coverLetter == nil { groups[key]!.title = s.title }
            }
        }
        var result = order.compactMap { groups[$0] }
        mergeUnthreaded(&result, t)
        return result
    }

    /// Patches of one series sent without threading (each its own thread) end up as partial
    /// series of the same author, version and size: merge those whose positions do not collide
    /// and whose dates are within an hour of each other, in date order.
    private static func mergeUnthreaded(_ series: inout [Series], _ t: ThreadSet) {
        func date(_ s: Series) -> Double? {
            let members = ([s.coverLetter] + s.patches).compactMap { $0 }
            return members.compactMap { t.messages[$0].date?.timeIntervalSince1970 }.min()
        }
        var i = 0
        while i < series.count {
            let a = series[i]
            guard a.total > 1, !a.isComplete else { i += 1; continue }
            var j = i + 1
            while j < series.count {
                let b = series[j]
                let sameSeries = b.total == a.total && b.version == series[i].version
                    && b.author?.email.lowercased() == series[i].author?.email.lowercased()
                let collide = zip(series[i].patches, b.patches).contains { $0 != nil && $1 != nil }
                    || (series[i].coverLetter != nil && b.coverLetter != nil)
                let near: Bool
                if let da = date(series[i]), let db = date(b) { near = abs(da - db) <= 3600 } else { near = false }
                if sameSeries && !collide && near {
                    for k in b.patches.indices where b.patches[k] != nil { series[i].patches[k] = b.patches[k] }
                    if let c = b.coverLetter { series[i].coverLetter = c; series[i].title = b.title }
                    if series[i].coverLetter == nil, let first = series[i].patches.first, let f = first {
                        series[i].title = t.messages[f].subjectInfo.title
                    }
                    series.remove(at: j)
                } else {
                    j += 1
                }
            }
            i += 1
        }
    }

    /// Series grouped by revision: each inner list holds the versions (v1, v2, …) of one series,
    /// matched by author and title.
    public var revisions: [[Series]] {
        var byTitle: [String: [Series]] = [:]
        var order: [String] = []
        for s in series {
            let k = (s.author?.email.lowercased() ?? "") + "\u{0}" + s.title.lowercased()
            if byTitle[k] == nil { order.append(k) }
            byTitle[k, default: []].append(s)
        }
        return order.map { byTitle[$0]!.sorted { $0.version < $1.version } }
    }
}
