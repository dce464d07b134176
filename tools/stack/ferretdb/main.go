// Command ferretdb-server runs FerretDB (MongoDB wire protocol, SQLite storage) for the local stack.
//
// It embeds github.com/FerretDB/FerretDB/ferretdb instead of building FerretDB's own command:
// that one panics at start when built from the module zip, which lacks build/version/version.txt.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

const ferretdbModule = "github.com/FerretDB/FerretDB"

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "data", "existing folder holding the SQLite files (one per database)")
	logLevel := flag.String("log-level", "info", "debug, info, warn or error")
	flag.Parse()

	if err := run(*listen, *dataDir, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-server: %s\n", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}

	// The embedded package reports ferretdbVersion "unknown" (buildInfo, serverStatus);
	// the module version recorded in this binary is the true one.
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == ferretdbModule {
				version.Get().Version = dep.Version
			}
		}
	}

	db, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listen},
		Logger:   logger,
		Handler:  "sqlite",
		// The SQLite backend wants a "file:" URI naming an existing folder, ending with "/".
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/"}).String(),
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal kills at once, instead of waiting for clients to disconnect
	}()

	// New has already bound the socket, so clients can connect from here on.
	fmt.Printf("ferretdb-server %s listening on %s (data in %s)\n", version.Get().Version, db.MongoDBURI(), dir)

	// Run returns once every connection has ended (clients get up to 3 s) and SQLite is closed.
	err = db.Run(ctx)
	fmt.Println("ferretdb-server stopped")
	return err
}
