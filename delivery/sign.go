package delivery

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// secretPrefix starts a Standard Webhooks secret; what follows is the key
// in base64.
const secretPrefix = "whsec_"

// Sign returns the value of the webhook-signature header for a message, as
// the Standard Webhooks specification defines it: "v1," and the base64
// HMAC-SHA256 of "id.timestamp.body", where timestamp is ts in unix
// seconds and the key is the base64 decoding of the secret after "whsec_"
// (the prefix may be left out). secret may hold several secrets separated
// by spaces, as while one is rotated out: the result is then one signature
// per secret, separated by spaces, in the same order. An empty secret, or
// one that is not base64, is an error.
func Sign(secret, id string, ts time.Time, body []byte) (string, error) {
	secrets := strings.Fields(secret)
	if len(secrets) == 0 {
		return "", errors.New("webhook secret is empty")
	}
	content := make([]byte, 0, len(id)+len(body)+12)
	content = append(content, id...)
	content = append(content, '.')
	content = strconv.AppendInt(content, ts.Unix(), 10)
	content = append(content, '.')
	content = append(content, body...)
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, secretPrefix))
		if err != nil {
			// The secret itself stays out of the message: it ends up in logs.
			return "", fmt.Errorf("webhook secret %d is not %sBASE64: %w", i+1, secretPrefix, err)
		}
		if len(key) == 0 {
			return "", fmt.Errorf("webhook secret %d is empty", i+1)
		}
		mac := hmac.New(sha256.New, key)
		mac.Write(content)
		sigs[i] = "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	}
	return strings.Join(sigs, " "), nil
}
