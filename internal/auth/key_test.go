package auth

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGenerateKeyFormat(t *testing.T) {
	t.Parallel()
	live, err := GenerateKey(false)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(live.Raw, LivePrefix))
	require.Len(t, live.Raw, len(LivePrefix)+keyBodyLength)
	require.Equal(t, HashKey(live.Raw), live.Hash)
	require.Len(t, live.Hash, 64)
	require.True(t, strings.HasPrefix(live.Raw, live.DisplayPrefix))

	wellFormed, test := WellFormed(live.Raw)
	require.True(t, wellFormed)
	require.False(t, test)

	testKey, err := GenerateKey(true)
	require.NoError(t, err)
	wellFormed, test = WellFormed(testKey.Raw)
	require.True(t, wellFormed)
	require.True(t, test)
}

func TestGenerateKeyIsRandom(t *testing.T) {
	t.Parallel()
	seen := make(map[string]bool)
	for range 100 {
		key, err := GenerateKey(false)
		require.NoError(t, err)
		require.False(t, seen[key.Raw], "duplicate key generated")
		seen[key.Raw] = true
	}
}

func TestWellFormedRejectsBadKeys(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("a", minKeyBodyLength)
	cases := map[string]string{
		"empty":          "",
		"no prefix":      body,
		"short body":     LivePrefix + body[1:],
		"bad character":  LivePrefix + body[1:] + "-",
		"unknown prefix": "msp_prod_" + body,
		"space inside":   LivePrefix + body[:10] + " " + body[10:],
	}
	for name, raw := range cases {
		wellFormed, _ := WellFormed(raw)
		require.False(t, wellFormed, name)
	}
	wellFormed, _ := WellFormed(LivePrefix + body)
	require.True(t, wellFormed)
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	require.Equal(t, "msp_live_x", BearerToken("Bearer msp_live_x"))
	require.Equal(t, "msp_live_x", BearerToken("bearer  msp_live_x "))
	require.Equal(t, "", BearerToken("Basic abc"))
	require.Equal(t, "", BearerToken("msp_live_x"))
}
