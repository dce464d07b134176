// Command compose-check loads a Compose file with the official loader (compose-go, the library
// `docker compose` itself is built on) the way `docker compose --profile '*' config` would: the
// file validated against the Compose schema (an unknown key fails), interpolated, YAML merge keys
// and `extends` resolved, every profile enabled, and the consistency checks on (depends_on,
// networks, volumes, secrets and configs name what exists). Stricter than docker compose in two
// ways: interpolation sees an empty environment (so the result never depends on the shell or a
// .env file), and every warning the loader gives (an unset variable, an obsolete key) is a problem.
//
//	compose-check [-file docker-compose.yml]
//
// Prints one JSON object on stdout: the resolved project ("project", every profile enabled), the
// services a plain `docker compose up` runs ("withoutProfiles") and the profiles in use.
// Exit status 0: loaded; 1: refused (the reasons on stderr, each line starting "problem: ").
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
)

// warnings collects what the loader logs at warning level or above, which it does instead of
// failing (e.g. "The \"X\" variable is not set. Defaulting to a blank string.").
type warnings struct{ messages []string }

func (w *warnings) Levels() []logrus.Level {
	return []logrus.Level{logrus.PanicLevel, logrus.FatalLevel, logrus.ErrorLevel, logrus.WarnLevel}
}

func (w *warnings) Fire(entry *logrus.Entry) error {
	w.messages = append(w.messages, entry.Message)
	return nil
}

// Load loads file with the given profiles enabled ("*": all of them; none: only the services
// without a profile, as a plain `docker compose up`).
func Load(ctx context.Context, file string, profiles []string) (*types.Project, error) {
	options, err := cli.NewProjectOptions(
		[]string{file},
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithProfiles(profiles),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return nil, err
	}
	return options.LoadProject(ctx)
}

func main() {
	file := flag.String("file", "docker-compose.yml", "the Compose file to load")
	flag.Parse()
	os.Exit(run(*file))
}

func run(file string) int {
	refuse := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "problem: "+format+"\n", args...)
		return 1
	}
	path, err := filepath.Abs(file)
	if err != nil {
		return refuse("%v", err)
	}
	// Collected and refused below, rather than printed as they come.
	logged := &warnings{}
	logrus.SetOutput(io.Discard)
	logrus.AddHook(logged)

	ctx := context.Background()
	project, err := Load(ctx, path, []string{"*"})
	if err != nil {
		return refuse("%v", err)
	}
	plain, err := Load(ctx, path, nil)
	if err != nil {
		return refuse("without profiles: %v", err)
	}
	if len(logged.messages) > 0 {
		for _, message := range logged.messages {
			refuse("the loader warns: %s", message)
		}
		return 1
	}
	withoutProfiles := plain.ServiceNames()
	sort.Strings(withoutProfiles)
	resolved, err := project.MarshalJSON()
	if err != nil {
		return refuse("%v", err)
	}
	err = json.NewEncoder(os.Stdout).Encode(map[string]any{
		"file":            path,
		"workingDir":      project.WorkingDir,
		"project":         json.RawMessage(resolved),
		"profiles":        project.AllServices().GetProfiles(),
		"withoutProfiles": withoutProfiles,
	})
	if err != nil {
		return refuse("%v", err)
	}
	return 0
}
