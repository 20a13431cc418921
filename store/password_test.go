package store

import "testing"

// The dummy hash must cost what a real one costs, or unknown addresses
// answer faster than wrong passwords.
func TestDummyHashMatchesParameters(t *testing.T) {
	ok, rehash, err := verifyPassword(dummyHash, "groundwork-timing-equaliser")
	if err != nil || !ok {
		t.Fatalf("dummyHash does not verify: ok=%v err=%v", ok, err)
	}
	if rehash {
		t.Fatal("dummyHash was made with other parameters than hashPassword uses now; regenerate it with hashPassword")
	}
}

func TestVerifyPassword(t *testing.T) {
	h, err := hashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if ok, rehash, err := verifyPassword(h, "correct horse battery"); !ok || rehash || err != nil {
		t.Fatalf("right password: ok=%v rehash=%v err=%v", ok, rehash, err)
	}
	if ok, _, _ := verifyPassword(h, "correct horse battery!"); ok {
		t.Fatal("wrong password accepted")
	}
	if _, _, err := verifyPassword("$bcrypt$nonsense", "x"); err == nil {
		t.Fatal("malformed hash accepted")
	}
}
