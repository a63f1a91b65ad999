import Foundation
@testable import Report

/// The pieces of mail text a report shows; a benign and a hostile set build reports of the same shape.
struct FixtureText {
    var title: String
    var author: Person
    var reviewer: Person
    var answerer: Person
    var file: String
    var function: String
    var condition: String
    var remark1: String
    var remark2: String
    var general: String
    var question: String
    var codeBefore: [String]
    var codeMarked: String
    var answerExcerpt: String
    var messageID: String
    var replyID: String

    static let benign = FixtureText(
        title: "s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks",
        author: Person(name: "Tony Krowiak", email: "akrowiak@example.com"),
        reviewer: Person(name: "Halil Pasic", email: "pasic@example.com"),
        answerer: Person(name: "Tony Krowiak", email: "akrowiak@example.com"),
        file: "drivers/s390/crypto/vfio_ap_ops.c",
        function: "vfio_ap_mdev_set_kvm",
        condition: "With the one little thing I commented on below addressed:",
        remark1: "Could for example a PQAP AQIC run across an unset matrix_mdev->kvm like\nthis, in theory? I don't think it's likely to happen in the wild though.\nWhy not set it up before setting the mask?",
        remark2: "I think if there were two threads dong the unset in parallel, one of\nthem could bail out and carry on before the cleanup is done.\n\nAnother thing to consider is, that setting ->kvm to NULL arms\nvfio_ap_mdev_remove()...",
        general: "This solution probably ain't a perfect one, but can't say I see a simple\nway to get around this problem.\n\nTony, you gave this a decent amount of testing or?",
        question: "Why not set it up before setting the mask?",
        codeBefore: [" * 4. Sets the masks supplying the AP configuration to the KVM guest.",
                     " * 5. Sets the KVM pointer into @kvm so the vfio_ap driver can access it."],
        codeMarked: " *",
        answerExcerpt: "Good point, I will move it in v2.",
        messageID: "20210216011547.22277-1-akrowiak@linux.ibm.com",
        replyID: "20210303162332.4d227dbe.pasic@linux.ibm.com")

    static let hostile = FixtureText(
        title: "# *bold* [link](javascript:alert(1)) </details> <script>alert(1)</script> | pipe `tick` ~~strike~~",
        author: Person(name: "Eve *_[]_* `x` <b>", email: "eve|<@evil>.example"),
        reviewer: Person(name: "Mallory\u{1B}[31m RED\u{1B}[0m | ]] ** __", email: "m@x"),
        answerer: Person(name: "<!-- comment", email: "o@x"),
        file: "drivers/`x`|y</details>.c",
        function: "f`|`<b>",
        condition: "With </details> and <!-- and | pipes ``` fixed:",
        remark1: "```\n</details>\n<script>alert(1)</script>\n# Heading?\n- list\n1. item\n> quote\n    indented code\n| a | b |\n|---|---|\n===\nWhy not </details> `x`?",
        remark2: "~~~\n<!--\n\u{1B}]0;title\u{07}\n***\n---\n[x]: http://evil\n\n&amp; &lt; \\\n<div>",
        general: "Trailing backslash \\\n+ plus\n= equals\n@mention and **bold**\n\n<details><summary>x</summary>",
        question: "Why not </details> `x`?",
        codeBefore: ["````", "~~~~ </details> \u{1B}[2J\t<script>"],
        codeMarked: "``````` | <b>",
        answerExcerpt: "</details> | `x` <!--",
        messageID: "a>b<c/../../x@y) [z]",
        replyID: "r|<1>@x")
}

func fixtureReport(_ t: FixtureText) -> ReviewReport {
    let patchMsg = MessageRef(messageID: t.messageID, from: t.author, date: Date(timeIntervalSince1970: 1_613_438_147))
    let reply = MessageRef(messageID: t.replyID, from: t.reviewer, date: Date(timeIntervalSince1970: 1_614_784_412))
    let answer = MessageRef(messageID: "answer@x", from: t.answerer, date: Date(timeIntervalSince1970: 1_614_870_000))
    var code = t.codeBefore.enumerated().map { CodeLine(kind: .added, oldLine: nil, newLine: 1037 + $0.offset, text: $0.element) }
    code.append(CodeLine(kind: .added, oldLine: nil, newLine: 1037 + t.codeBefore.count, text: t.codeMarked, isMarked: true))
    code.append(CodeLine(kind: .context, oldLine: 1030, newLine: 1040 + t.codeBefore.count, text: " * Note:"))
    let r1 = RemarkReport(id: "R2", reviewer: t.reviewer, message: reply, target: .line, file: t.file, oldLine: nil,
                          newLine: 1039, side: "added", function: t.function, code: code, text: t.remark1,
                          findings: ["F1"], answers: [Answer(message: answer, isAuthor: true, excerpt: t.answerExcerpt)])
    let r2 = RemarkReport(id: "R3", reviewer: t.reviewer, message: reply, target: .line, file: t.file, oldLine: nil,
                          newLine: 1145, side: "added", function: t.function,
                          code: [CodeLine(kind: .added, oldLine: nil, newLine: 1145, text: "\t\tmatrix_mdev->kvm = NULL;", isMarked: true)],
                          text: t.remark2, findings: ["F1", "F2"])
    let r0 = RemarkReport(id: "R1", reviewer: t.reviewer, message: reply, target: .patch, text: t.general)
    let f1 = FindingReport(
        id: "F1", rule: "lock-window", ruleSummary: "A lock released and re-acquired in one function",
        ruleRationale: "State read under the lock before the release may be stale after the re-acquire.",
        severity: .warning, file: t.file, function: t.function, line: 1062, endLine: 1067, change: .introduced,
        subject: "matrix_dev->lock",
        message: "matrix_dev->lock released at 1062 and re-acquired at 1067",
        explanation: "Shared state is written on both sides of the window.",
        locations: [FindingLocation(file: t.file, line: 1067, label: "re-acquired"),
                    FindingLocation(file: t.file, line: 1061, label: "written before")],
        code: [CodeLine(kind: .added, oldLine: nil, newLine: 1061, text: "\t\tkvm->arch.crypto.pqap_hook = &matrix_mdev->pqap_hook;", label: "written"),
               CodeLine(kind: .added, oldLine: nil, newLine: 1062, text: t.codeMarked, isMarked: true, label: "released")],
        remarks: ["R2", "R3"])
    let f2 = FindingReport(
        id: "F2", rule: "refcount-balance", severity: .error, file: t.file, function: t.function, line: 1150,
        change: .introduced, subject: "kvm", message: "one more kvm_put_kvm than kvm_get_kvm", remarks: [])
    let trailer = TrailerReport(key: "Acked-by", value: t.reviewer.description, person: t.reviewer, givenIn: reply,
                                isConditional: true, condition: t.condition)
    let q = QuestionReport(text: t.question, askedBy: t.reviewer, message: reply, remark: "R2", isAnswered: false)
    let p = PatchReport(title: t.title, subject: "[PATCH] " + t.title, message: patchMsg,
                        loreURL: LoreLink.url(messageID: t.messageID), trailers: [trailer],
                        ownTrailers: [OwnTrailer(key: "Signed-off-by", value: t.author.description)],
                        files: [FileReport(path: t.file, insertions: 84, deletions: 35, functions: [t.function, "vfio_ap_mdev_unset_kvm"],
                                           hunks: ["-1027,8 +1027,21"])],
                        insertions: 84, deletions: 35, remarks: [r0, r1, r2], findings: [f1, f2], questions: [q])
    let timeline = [
        TimelineEntry(number: 1, depth: 0, inReplyTo: nil, kind: .patch, message: patchMsg, subject: "[PATCH] " + t.title),
        TimelineEntry(number: 2, depth: 1, inReplyTo: 1, kind: .reply, message: reply, subject: "Re: [PATCH] " + t.title,
                      trailers: ["Acked-by"], remarks: 3, questions: 1),
        TimelineEntry(number: 3, depth: 2, inReplyTo: 2, kind: .reply, message: answer, subject: "Re: " + t.title),
    ]
    let s = SeriesReport(title: t.title, author: t.author, patches: [p], timeline: timeline)
    return ReviewReport(input: "fixture.mbox", series: [s], warnings: [])
}
