package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/breadbox/breadbox/internal/testdb"
)

// residentMB reads the resident set size of a process from /proc, in MiB.
func residentMB(b *testing.B, pid int) float64 {
	b.Helper()
	status, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		b.Fatalf("reading the server's memory: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmRSS:" {
			kilobytes, _ := strconv.ParseFloat(fields[1], 64)
			return kilobytes / 1024
		}
	}
	b.Fatal("no VmRSS line in /proc status")
	return 0
}

// BenchmarkServerMemory starts `breadbox demo` as its own process on
// PostgreSQL and reports its resident memory idle and after 10 s of reads
// from 16 concurrent clients. Run it once: -benchtime 1x.
func BenchmarkServerMemory(b *testing.B) {
	if !testdb.Postgres() {
		b.Skip("needs " + testdb.PostgresEnv)
	}
	binary := filepath.Join(b.TempDir(), "breadbox")
	if output, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		b.Fatalf("building breadbox: %v\n%s", err, output)
	}

	listener := freeAddr(b)
	ctx, cancel := context.WithCancel(context.Background())
	demo := exec.CommandContext(ctx, binary, "demo", "--addr", listener, "--database", testdb.URL(b))
	demo.Cancel = func() error { return demo.Process.Signal(os.Interrupt) }
	stdout, _ := demo.StdoutPipe()
	if err := demo.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); _ = demo.Wait() })

	key := ""
	keyPattern := regexp.MustCompile(`msp_test_[0-9A-Za-z]+`)
	scanner := bufio.NewScanner(stdout)
	for scanner.Scan() && key == "" {
		key = keyPattern.FindString(scanner.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if key == "" {
		b.Fatal("the demo printed no key")
	}

	base := "http://" + listener
	time.Sleep(2 * time.Second) // let the start-up work (migrations, nightly pass) finish
	idle := residentMB(b, demo.Process.Pid)

	var wg sync.WaitGroup
	deadline := time.Now().Add(10 * time.Second)
	for range 16 {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				request, _ := http.NewRequest(http.MethodGet, base+"/api/v1/accounts?limit=50&sort=name:asc", nil)
				request.Header.Set("Authorization", "Bearer "+key)
				response, err := http.DefaultClient.Do(request)
				if err == nil {
					_, _ = io.Copy(io.Discard, response.Body)
					response.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	loaded := residentMB(b, demo.Process.Pid)

	for range b.N {
		b.ReportMetric(idle, "idle-MiB")
		b.ReportMetric(loaded, "loaded-MiB")
	}
}
