package handlers_test

import (
	"bufio"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gwmail "groundwork/mail"
)

// smtpServer is a mail server started by a test: enough of SMTP (EHLO,
// MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no AUTH) for mail.SMTP.
type smtpServer struct {
	ln net.Listener
	// refuse is how many messages to refuse (451 at MAIL FROM) before
	// accepting; hang makes it accept connections and never answer.
	refuse int
	hang   bool
	delay  time.Duration // before accepting each message

	mu       sync.Mutex
	received []received
	refused  int
	conns    []net.Conn
}

// received is a message the server accepted.
type received struct {
	To      string
	Subject string
	Body    string // decoded
}

func newSMTPServer(t testing.TB, configure ...func(*smtpServer)) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	for _, c := range configure {
		c(s)
	}
	go s.serve()
	t.Cleanup(s.close)
	return s
}

// mailer is a mail.SMTP client for this server.
func (s *smtpServer) mailer() gwmail.SMTP {
	host, port, _ := net.SplitHostPort(s.ln.Addr().String())
	n, _ := strconv.Atoi(port)
	return gwmail.SMTP{Host: host, Port: n, From: "groundwork@example.org"}
}

// close stops listening and drops every connection (a hanging one too).
func (s *smtpServer) close() {
	s.ln.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
}

// to returns the messages received for addr, in order.
func (s *smtpServer) to(addr string) []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []received
	for _, m := range s.received {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

func (s *smtpServer) all() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

func (s *smtpServer) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		s.mu.Unlock()
		if !s.hang {
			go s.session(c)
		}
	}
}

func (s *smtpServer) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { io.WriteString(c, line+"\r\n") }
	say("220 test ESMTP")
	var rcpt []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-test greets you")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			s.mu.Lock()
			refuse := s.refused < s.refuse
			if refuse {
				s.refused++
			}
			s.mu.Unlock()
			if refuse {
				say("451 4.3.0 try again later")
				continue
			}
			rcpt = nil
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			rcpt = append(rcpt, strings.Trim(strings.TrimSpace(line)[len("RCPT TO:"):], "<> "))
			say("250 OK")
		case cmd == "DATA":
			say("354 end with <CRLF>.<CRLF>")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			time.Sleep(s.delay)
			s.accept(rcpt, data.String())
			say("250 OK queued")
		case cmd == "RSET", cmd == "NOOP":
			say("250 OK")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

func (s *smtpServer) accept(rcpt []string, data string) {
	m := received{}
	if msg, err := mail.ReadMessage(strings.NewReader(data)); err == nil {
		m.Subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
		m.Body = strings.ReplaceAll(string(body), "\r\n", "\n")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, to := range rcpt {
		m.To = to
		s.received = append(s.received, m)
	}
}
