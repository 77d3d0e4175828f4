package delivery_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wizard/wizard/delivery"
)

// TestSignSpecVector is the Standard Webhooks specification's published
// example.
func TestSignSpecVector(t *testing.T) {
	got, err := delivery.Sign(testSecret, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSignRotationGivesOneSignaturePerSecret(t *testing.T) {
	const other = "whsec_c2Vjb25kIHNlY3JldCBmb3IgdGVzdHM="
	ts := time.Unix(1614265330, 0)
	body := []byte(`{"test": 2432232314}`)
	first, _ := delivery.Sign(testSecret, "msg_1", ts, body)
	second, _ := delivery.Sign(other, "msg_1", ts, body)
	got, err := delivery.Sign(testSecret+" "+other, "msg_1", ts, body)
	if err != nil {
		t.Fatal(err)
	}
	if want := first + " " + second; got != want || first == second {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSignRefusesBadSecrets(t *testing.T) {
	for _, secret := range []string{"", " ", "whsec_", "whsec_not base64!", "whsec_%%%"} {
		if _, err := delivery.Sign(secret, "msg_1", time.Now(), nil); err == nil {
			t.Errorf("Sign(%q): no error", secret)
		} else if strings.Contains(err.Error(), "%%%") {
			t.Errorf("Sign(%q): error %q repeats the secret", secret, err)
		}
	}
}
