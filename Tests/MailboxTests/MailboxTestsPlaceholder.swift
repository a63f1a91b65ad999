import Testing

@Test func MailboxTestsBuilds() {
    #expect(Bool(true))
}
