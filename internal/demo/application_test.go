package demo_test

import (
	"context"
	"io"
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/db/dbtest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/reader"
)

// ACC-8: the demo leaves one application to become a reader waiting in the
// admin's queue, from the demo applicant; loading the demo again adds none.
func TestDemoApplication_ACC8(t *testing.T) {
	for _, e := range dbtest.Engines() {
		t.Run(string(e), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := apptest.Start(t, e, apptest.WithManualSweeps())
			for range 2 {
				if err := demo.Load(ctx, s.App, io.Discard); err != nil {
					t.Fatal(err)
				}
			}
			queue, err := s.App.Readers.Applications(ctx, reader.ApplicationPending)
			if err != nil || len(queue) != 1 || queue[0].Email != demo.ApplicantEmail || queue[0].DisplayName != "Rowan Ashgrove" {
				t.Fatalf("the demo queue: %+v %v", queue, err)
			}
		})
	}
}
