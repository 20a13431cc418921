package mail_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"net"
	"strings"
	"testing"

	"groundwork/mail"
)

// fakeSMTP accepts one message and reports the dialogue and the data.
func fakeSMTP(t *testing.T) (port int, got chan map[string]string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	got = make(chan map[string]string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		r := bufio.NewReader(conn)
		say := func(s string) { io.WriteString(conn, s+"\r\n") }
		seen := map[string]string{}
		say("220 fake ESMTP")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
			switch verb {
			case "EHLO":
				say("250-fake")
				say("250 AUTH PLAIN")
			case "AUTH":
				seen["auth"] = line
				say("235 ok")
			case "MAIL", "RCPT":
				seen[verb] = line
				say("250 ok")
			case "DATA":
				say("354 go on")
				var data strings.Builder
				for {
					l, err := r.ReadString('\n')
					if err != nil || l == ".\r\n" {
						break
					}
					data.WriteString(l)
				}
				seen["data"] = data.String()
				say("250 queued")
			case "QUIT":
				say("221 bye")
				got <- seen
				return
			default:
				say("502 no")
			}
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, got
}

func TestSMTP(t *testing.T) {
	port, got := fakeSMTP(t)
	m := mail.SMTP{Host: "127.0.0.1", Port: port, Username: "gw", Password: "s3cret", From: "groundwork@example.org"}
	body := "Hello Amina,\n\nChoose your password: https://gw.example.org/invitations/abc\n"
	if err := m.Send(context.Background(), mail.Message{To: "amina@example.org", Subject: "Invitation à Groundwork", Body: body}); err != nil {
		t.Fatal(err)
	}
	seen := <-got
	if !strings.HasPrefix(seen["MAIL"], "MAIL FROM:<groundwork@example.org>") {
		t.Errorf("MAIL = %q", seen["MAIL"])
	}
	if !strings.HasPrefix(seen["RCPT"], "RCPT TO:<amina@example.org>") {
		t.Errorf("RCPT = %q", seen["RCPT"])
	}
	auth, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(seen["auth"], "AUTH PLAIN "))
	if string(auth) != "\x00gw\x00s3cret" {
		t.Errorf("AUTH PLAIN carried %q", auth)
	}
	head, qp, _ := strings.Cut(seen["data"], "\r\n\r\n")
	for _, want := range []string{"To: amina@example.org", "Subject: =?utf-8?q?Invitation_=C3=A0_Groundwork?=", "Content-Type: text/plain; charset=utf-8", "Message-ID: <"} {
		if !strings.Contains(head, want) {
			t.Errorf("headers lack %q:\n%s", want, head)
		}
	}
	decoded, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(qp)))
	if err != nil || !strings.Contains(string(decoded), "https://gw.example.org/invitations/abc") {
		t.Errorf("body = %q, %v", decoded, err)
	}
}

func TestSMTPReportsAnUnreachableServer(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	err := mail.SMTP{Host: "127.0.0.1", Port: port, From: "gw@example.org"}.Send(context.Background(), mail.Message{To: "x@example.org"})
	if err == nil || !strings.Contains(err.Error(), "dial") {
		t.Errorf("err = %v, want a dial error", err)
	}
}
