import { describe, expect, it } from "vitest";
import { UserError } from "../../src/model/errors";
import { redactUserInfo } from "../../src/model/redact";

describe("UserError", () => {
  it("never carries a URL's user info, whatever built the message", () => {
    const error = UserError.at("bridgeguard.yaml:1:2", "probe", 'unknown key "proxy\\":\\"http://probe:hunter2-secret@proxy.example.test:3128"');
    expect(error.message).not.toContain("hunter2-secret");
    expect(error.message).toContain("http://***@proxy.example.test:3128");
  });

  it("keeps the syntax a message shows: [user:password@] is not user info", () => {
    expect(UserError.at(undefined, undefined, "--proxy: expected http://[user:password@]host:port").message).toBe("--proxy: expected http://[user:password@]host:port");
  });
});

describe("redactUserInfo", () => {
  it.each([
    ["http://u:p@host:3128", "http://***@host:3128"],
    ["see HTTPS://user@proxy and ftp://a:b@c/d", "see HTTPS://***@proxy and ftp://***@c/d"],
    // People write passwords unencoded: up to the last "@" is taken as user info (a path with an "@" loses a little).
    ["http://host:3128/path@x", "http://***@x"],
    ["http://CONTOSO\\jdoe:S3cret@proxy:3128", "http://***@proxy:3128"],
    ["http://u:1234/pw@proxy:3128 and http://u:12#pw@proxy:3128", "http://***@proxy:3128 and http://***@proxy:3128"],
    ["http://u:p@ss@proxy:3128", "http://***@proxy:3128"],
    ['{"proxy":"http://u:pw@proxy:3128","mail":"a@b"}', '{"proxy":"http://***@proxy:3128","mail":"a@b"}'],
    ["no url here: user@example.com", "no url here: user@example.com"],
  ])("%s", (input, expected) => {
    expect(redactUserInfo(input)).toBe(expected);
  });
});
