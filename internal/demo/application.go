package demo

import (
	"context"
	"fmt"

	"github.com/soulseer/soulseer/internal/account"
	"github.com/soulseer/soulseer/internal/app"
	"github.com/soulseer/soulseer/internal/apperr"
	"github.com/soulseer/soulseer/internal/reader"
)

// ApplicantEmail is the demo client whose application to become a reader
// waits in the admin's verification queue (ACC-8).
const ApplicantEmail = "applicant@soulseer.demo"

// application is the demo applicant's application.
var application = reader.ApplicationInput{
	DisplayName: "Rowan Ashgrove", Specialties: []string{"tarot", "dreams"}, YearsExperience: 5, Languages: []string{"English", "Irish"},
	Bio: "I grew up with my grandmother's cards and have read for friends and at fairs for five years. " +
		"I read tarot and dreams plainly and kindly, and I never tell anyone what they must do.",
	SampleReading: "You asked whether to go back to your studies. I drew the Page of Pentacles, the Hermit and the Six of Wands. " +
		"The Page is a student of the real world: patient, curious, a little unsure of their footing, and that is you now. " +
		"The Hermit says the answer is not in what others expect of you but in a quiet hour with yourself, so take that hour before you decide. " +
		"The Six of Wands closes the spread with recognition earned slowly: the path you are weighing leads somewhere you will be proud of, " +
		"though not quickly. If the doubt is about money, the Page asks you to make a plan rather than a leap.",
	KYCConsent: true,
}

// seedApplication has the demo applicant apply to become a reader, unless
// they already have an application, so the admin's queue is not empty.
func seedApplication(ctx context.Context, a *app.App) error {
	u, err := ensureUser(ctx, a, "Rowan Ashgrove", ApplicantEmail, account.RoleClient)
	if err != nil {
		return err
	}
	if _, err := a.Readers.MyApplication(ctx, u.ID); apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	if _, err := a.Readers.Apply(ctx, u, application); err != nil {
		return fmt.Errorf("demo: application: %w", err)
	}
	return nil
}
