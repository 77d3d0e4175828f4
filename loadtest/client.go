package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// client is one keep-alive HTTP/1.1 connection that writes requests built
// by the caller and reads the responses into reused buffers. It exists so
// that the load generator, which shares the machine's cores with the
// server, spends as little CPU per request as wrk does: no http.Client, no
// header maps, no allocation per request.
type client struct {
	addr   string
	cookie string // name of the session cookie to report in response.cookie
	conn   net.Conn
	r      *bufio.Reader
	resp   response
}

// response is the last response a client read. Its slices are valid until
// the next call to do.
type response struct {
	status int
	// cookie is the value of the session cookie the response sets, when
	// hasCookie; an empty value means the cookie is being deleted.
	cookie    []byte
	hasCookie bool
	location  []byte
	encoding  []byte // Content-Encoding
	body      []byte
	// wire counts the bytes of the response as received: status line,
	// headers and body (chunk framing included).
	wire int
	// closing reports that the server will close the connection.
	closing bool
}

func newClient(addr, cookie string) *client {
	return &client{addr: addr, cookie: cookie}
}

func (c *client) dial() error {
	conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
	if err != nil {
		return fmt.Errorf("dial %s: %w", c.addr, err)
	}
	c.conn = conn
	if c.r == nil {
		c.r = bufio.NewReaderSize(conn, 16<<10)
	} else {
		c.r.Reset(conn)
	}
	return nil
}

// close closes the connection; the next do dials again.
func (c *client) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// do sends req, a complete HTTP/1.1 request, and reads the response. On an
// error the connection is closed and the next call dials a new one.
func (c *client) do(req []byte) (*response, error) {
	if c.conn == nil {
		if err := c.dial(); err != nil {
			return nil, err
		}
	}
	if _, err := c.conn.Write(req); err != nil {
		c.close()
		return nil, fmt.Errorf("write request: %w", err)
	}
	if err := c.read(); err != nil {
		c.close()
		return nil, err
	}
	if c.resp.closing {
		c.close()
	}
	return &c.resp, nil
}

// Lower-case header prefixes the client looks for.
const (
	hdrContentLength    = "content-length:"
	hdrSetCookie        = "set-cookie:"
	hdrLocation         = "location:"
	hdrTransferEncoding = "transfer-encoding:"
	hdrContentEncoding  = "content-encoding:"
	hdrConnection       = "connection:"
)

// read parses one response from the connection into c.resp.
func (c *client) read() error {
	rs := &c.resp
	rs.status, rs.hasCookie, rs.closing, rs.wire = 0, false, false, 0
	rs.cookie, rs.location, rs.encoding = rs.cookie[:0], rs.location[:0], rs.encoding[:0]
	rs.body = rs.body[:0]

	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return fmt.Errorf("read status line: %w", err)
	}
	rs.wire += len(line)
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return fmt.Errorf("malformed status line %q", line)
	}
	rs.status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return fmt.Errorf("malformed status line %q: %w", line, err)
	}
	length, chunked := -1, false
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return fmt.Errorf("read header: %w", err)
		}
		rs.wire += len(line)
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		switch {
		case hasPrefixFold(line, hdrContentLength):
			length, err = strconv.Atoi(string(bytes.TrimSpace(line[len(hdrContentLength):])))
			if err != nil || length < 0 {
				return fmt.Errorf("malformed header %q", line)
			}
		case hasPrefixFold(line, hdrSetCookie):
			v := bytes.TrimSpace(line[len(hdrSetCookie):])
			name, rest, ok := bytes.Cut(v, []byte("="))
			if ok && string(name) == c.cookie {
				val, _, _ := bytes.Cut(rest, []byte(";"))
				rs.cookie = append(rs.cookie[:0], val...)
				rs.hasCookie = true
			}
		case hasPrefixFold(line, hdrLocation):
			rs.location = append(rs.location[:0], bytes.TrimSpace(line[len(hdrLocation):])...)
		case hasPrefixFold(line, hdrContentEncoding):
			rs.encoding = append(rs.encoding[:0], bytes.TrimSpace(line[len(hdrContentEncoding):])...)
		case hasPrefixFold(line, hdrTransferEncoding):
			chunked = bytes.Contains(bytes.ToLower(line), []byte("chunked"))
		case hasPrefixFold(line, hdrConnection):
			rs.closing = bytes.Contains(bytes.ToLower(line), []byte("close"))
		}
	}
	switch {
	case chunked:
		return c.readChunked()
	case length >= 0:
		return c.readBody(length)
	case rs.status == 204 || rs.status == 304:
		return nil
	}
	return errors.New("response has neither Content-Length nor chunked encoding")
}

// readBody appends n bytes of body.
func (c *client) readBody(n int) error {
	rs := &c.resp
	start := len(rs.body)
	if cap(rs.body) < start+n {
		b := make([]byte, start, start+n+4096)
		copy(b, rs.body)
		rs.body = b
	}
	rs.body = rs.body[:start+n]
	if _, err := io.ReadFull(c.r, rs.body[start:]); err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	rs.wire += n
	return nil
}

// readChunked reads a chunked body and its (ignored) trailers.
func (c *client) readChunked() error {
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return fmt.Errorf("read chunk size: %w", err)
		}
		c.resp.wire += len(line)
		size, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
		n, err := strconv.ParseInt(string(size), 16, 32)
		if err != nil || n < 0 {
			return fmt.Errorf("malformed chunk size %q", line)
		}
		if n == 0 {
			break
		}
		if err := c.readBody(int(n)); err != nil {
			return err
		}
		crlf, err := c.r.ReadSlice('\n')
		if err != nil {
			return fmt.Errorf("read chunk end: %w", err)
		}
		c.resp.wire += len(crlf)
	}
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return fmt.Errorf("read trailer: %w", err)
		}
		c.resp.wire += len(line)
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return nil
		}
	}
}

// hasPrefixFold reports whether s begins with the lower-case prefix,
// ignoring the case of s.
func hasPrefixFold(s []byte, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := range len(prefix) {
		p, b := prefix[i], s[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if b != p {
			return false
		}
	}
	return true
}

// request describes a request to build with appendRequest.
type request struct {
	method string
	path   string
	host   string
	// cookieName and cookieValue make a Cookie header when cookieValue is
	// not empty.
	cookieName  string
	cookieValue string
	headers     []string
	// body is sent as application/x-www-form-urlencoded; a POST always
	// carries Content-Type and Content-Length.
	body []byte
}

// appendRequest appends the HTTP/1.1 form of rq to b.
func appendRequest(b []byte, rq *request) []byte {
	b = append(b, rq.method...)
	b = append(b, ' ')
	b = append(b, rq.path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, rq.host...)
	b = append(b, "\r\n"...)
	if rq.cookieValue != "" {
		b = append(b, "Cookie: "...)
		b = append(b, rq.cookieName...)
		b = append(b, '=')
		b = append(b, rq.cookieValue...)
		b = append(b, "\r\n"...)
	}
	for _, h := range rq.headers {
		b = append(b, h...)
		b = append(b, "\r\n"...)
	}
	if len(rq.body) > 0 || rq.method == "POST" {
		b = append(b, "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "...)
		b = strconv.AppendInt(b, int64(len(rq.body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	return append(b, rq.body...)
}
