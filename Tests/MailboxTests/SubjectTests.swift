// Subjects of patch mail: reply/forward prefixes, [PATCH …] tags, versions, series positions.
import Testing
@testable import Mailbox

@Suite("Subjects")
struct SubjectTests {
    @Test func replyAndForwardPrefixes() {
        #expect(SubjectParser.parse("Re: hello") == SubjectInfo(title: "hello", isReply: true))
        #expect(SubjectParser.parse("RE: hello") == SubjectInfo(title: "hello", isReply: true))
        #expect(SubjectParser.parse("Aw: hello") == SubjectInfo(title: "hello", isReply: true))
        #expect(SubjectParser.parse("re: Re: RE: hello") == SubjectInfo(title: "hello", isReply: true))
        #expect(SubjectParser.parse("Re[2]: hello") == SubjectInfo(title: "hello", isReply: true))
        #expect(SubjectParser.parse("Fwd: hello") == SubjectInfo(title: "hello", isForward: true))
        #expect(SubjectParser.parse("FW: Re: hello") == SubjectInfo(title: "hello", isReply: true, isForward: true))
        #expect(SubjectParser.parse("hello") == SubjectInfo(title: "hello"))
        #expect(SubjectParser.parse("") == SubjectInfo(title: ""))
        // a subsystem prefix is not a reply prefix
        #expect(SubjectParser.parse("mm: fix leak") == SubjectInfo(title: "mm: fix leak"))
    }

    @Test func patchTags() {
        #expect(SubjectParser.parse("[PATCH] s390/vfio-ap: fix circular lockdep") ==
                SubjectInfo(title: "s390/vfio-ap: fix circular lockdep", isPatch: true))
        #expect(SubjectParser.parse("[PATCH v3 2/7] mm: fix foo") ==
                SubjectInfo(title: "mm: fix foo", isPatch: true, version: 3, index: 2, total: 7))
        #expect(SubjectParser.parse("[PATCHv3] mm: fix foo") == SubjectInfo(title: "mm: fix foo", isPatch: true, version: 3))
        #expect(SubjectParser.parse("[PATCH V2 01/12] x") == SubjectInfo(title: "x", isPatch: true, version: 2, index: 1, total: 12))
        #expect(SubjectParser.parse("[PATCH 3/3 v2] Xyzzy") == SubjectInfo(title: "Xyzzy", isPatch: true, version: 2, index: 3, total: 3))
        #expect(SubjectParser.parse("[PATCH-v4 1/2] y") == SubjectInfo(title: "y", isPatch: true, version: 4, index: 1, total: 2))
    }

    @Test func rfcTreeAndCoverLetter() {
        let s = SubjectParser.parse("[RFC PATCH net-next v2 0/5] net: add bar")
        #expect(s == SubjectInfo(title: "net: add bar", isPatch: true, isRFC: true, version: 2, index: 0, total: 5, tags: ["net-next"]))
        #expect(s.isCoverLetter)
        #expect(SubjectParser.parse("[PATCH v2 00/12] series").isCoverLetter)
        #expect(!SubjectParser.parse("[PATCH 1/12] patch").isCoverLetter)
        #expect(!SubjectParser.parse("[PATCH] single").isCoverLetter)
        #expect(SubjectParser.parse("[RFCv2 PATCH] z") == SubjectInfo(title: "z", isPatch: true, isRFC: true, version: 2))
        #expect(SubjectParser.parse("[PATCH RFC] z") == SubjectInfo(title: "z", isPatch: true, isRFC: true))
    }

    @Test func resend() {
        #expect(SubjectParser.parse("[PATCH RESEND v2 1/3] a") == SubjectInfo(title: "a", isPatch: true, isResend: true, version: 2, index: 1, total: 3))
        #expect(SubjectParser.parse("[RESEND PATCH] a") == SubjectInfo(title: "a", isPatch: true, isResend: true))
        #expect(SubjectParser.parse("[RESEND][PATCH] a") == SubjectInfo(title: "a", isPatch: true, isResend: true))
        #expect(SubjectParser.parse("[PATCH RESEND2 1/4] parse: x") == SubjectInfo(title: "parse: x", isPatch: true, isResend: true, index: 1, total: 4))
    }

    @Test func repliesToPatches() {
        #expect(SubjectParser.parse("Re: [PATCH 1/2] x86: fix") ==
                SubjectInfo(title: "x86: fix", isReply: true, isPatch: true, index: 1, total: 2))
        #expect(SubjectParser.parse("Re: [PATCH] s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks") ==
                SubjectInfo(title: "s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks", isReply: true, isPatch: true))
        #expect(SubjectParser.parse("RE: [PATCH v5 08/36] locking: x").version == 5)
        // b4 ty: `Re: (subset) [PATCH …]` answers part of a series
        #expect(SubjectParser.parse("Re: (subset) [PATCH v2 0/7] PolarFire SoC Auto Update Support") ==
                SubjectInfo(title: "PolarFire SoC Auto Update Support", isReply: true, isPatch: true, version: 2, index: 0, total: 7))
    }

    @Test func listTagsAndOtherBrackets() {
        #expect(SubjectParser.parse("[dpdk-dev] [PATCH] kni: fix") == SubjectInfo(title: "kni: fix", isPatch: true, tags: ["dpdk-dev"]))
        #expect(SubjectParser.parse("[PATCH 5.10 012/345] drm: fix") ==
                SubjectInfo(title: "drm: fix", isPatch: true, index: 12, total: 345, tags: ["5.10"]))
        #expect(SubjectParser.parse("[GIT PULL] soc: updates") == SubjectInfo(title: "soc: updates", tags: ["GIT", "PULL"]))
        // brackets after the title belong to it
        #expect(SubjectParser.parse("[PATCH] a [b] c").title == "a [b] c")
    }

    @Test func subsystemAfterPatchTagIsNotAPrefix() {
        // `rv:` (runtime verification) and `wg:` are subsystems, not forward prefixes, after [PATCH]
        #expect(SubjectParser.parse("[PATCH v2] rv: add monitor") == SubjectInfo(title: "rv: add monitor", isPatch: true, version: 2))
        #expect(SubjectParser.parse("Re: [PATCH] tr: fix") == SubjectInfo(title: "tr: fix", isReply: true, isPatch: true))
    }

    @Test func subjectInMessage() {
        let m = parseMessage("From: a@example.com\nSubject: Re: [RFC PATCH net-next v2 0/5]\n =?UTF-8?Q?net:_caf=C3=A9?=\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nMessage-ID: <s@x>\n\nx\n")
        #expect(m.subject == "Re: [RFC PATCH net-next v2 0/5] net: café")
        #expect(m.subjectInfo == SubjectInfo(title: "net: café", isReply: true, isPatch: true, isRFC: true, version: 2, index: 0, total: 5, tags: ["net-next"]))
    }
}
