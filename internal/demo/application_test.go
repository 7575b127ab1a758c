package demo_test

import (
	"testing"

	"github.com/soulseer/soulseer/internal/apptest"
	"github.com/soulseer/soulseer/internal/demo"
	"github.com/soulseer/soulseer/internal/reader"
)

// ACC-8: the demo leaves one application to become a reader waiting in the
// admin's queue, from the demo applicant; loading the demo again adds none.
func TestDemoApplication_ACC8(t *testing.T) {
	eachLoaded(t, func(t *testing.T, s *apptest.Server) {
		queue, err := s.App.Readers.Applications(ctx, reader.ApplicationPending)
		if err != nil || len(queue) != 1 || queue[0].Email != demo.ApplicantEmail || queue[0].DisplayName != "Rowan Ashgrove" {
			t.Fatalf("the demo queue: %+v %v", queue, err)
		}
	})
}
