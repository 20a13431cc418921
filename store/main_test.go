package store_test

import (
	"testing"

	"groundwork/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
