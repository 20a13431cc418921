package review_test

import (
	"testing"

	"groundwork/handlers/browsertest"
	"groundwork/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m, browsertest.Close) }
