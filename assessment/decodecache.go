package assessment

import "sync"

// Pages decode every stored answer of an assessment on every view, and the
// stored forms rarely change; structured answers (tables, lists, people)
// cost JSON decoding each time. The cache keeps recent decodings.
type decodeKey struct {
	q   *Question
	raw string
}

var (
	decodeMu    sync.RWMutex
	decodeCache = make(map[decodeKey]Value)
	decodeBytes int // stored forms held as keys, about what their values take too
)

// The cache is bounded by entries and by the bytes of the stored forms it
// holds (answers may be up to MaxAnswerBytes each); when either is reached
// it starts again empty. Larger answers are not cached: they are rare, and
// one would crowd out hundreds of small ones.
const (
	maxDecodeCache      = 8192
	maxDecodeCacheBytes = 16 << 20
	maxDecodeCachedRaw  = 16 << 10
)

// DecodeShared is Decode for stored answers that are read again and again:
// decodings of structured answers are cached, so the returned Value may be
// shared with other callers and must not be modified.
func (q *Question) DecodeShared(raw string) (Value, error) {
	if q.Type.scalar() || len(raw) > maxDecodeCachedRaw {
		return q.Decode(raw)
	}
	k := decodeKey{q, raw}
	decodeMu.RLock()
	v, ok := decodeCache[k]
	decodeMu.RUnlock()
	if ok {
		return v, nil
	}
	v, err := q.Decode(raw)
	if err != nil {
		return v, err
	}
	decodeMu.Lock()
	if len(decodeCache) >= maxDecodeCache || decodeBytes+len(raw) > maxDecodeCacheBytes {
		clear(decodeCache)
		decodeBytes = 0
	}
	if _, dup := decodeCache[k]; !dup {
		decodeBytes += len(raw)
	}
	decodeCache[k] = v
	decodeMu.Unlock()
	return v, nil
}
