package reader

// Specialty is one kind of reading a reader offers; the catalog is fixed so
// the directory can filter on it.
type Specialty struct {
	Slug string
	Name string
}

// specialties is the catalog, in display order.
var specialties = []Specialty{
	{"tarot", "Tarot"},
	{"astrology", "Astrology"},
	{"mediumship", "Mediumship"},
	{"clairvoyance", "Clairvoyance"},
	{"love", "Love & Relationships"},
	{"career", "Career & Money"},
	{"dreams", "Dream Interpretation"},
	{"numerology", "Numerology"},
	{"angels", "Angel Cards"},
	{"energy", "Energy Healing"},
	{"past-lives", "Past Lives"},
	{"pets", "Pet Psychic"},
}

// Specialties returns the catalog of specialties.
func Specialties() []Specialty { return append([]Specialty(nil), specialties...) }

// SpecialtyName returns the display name of a slug ("" if unknown).
func SpecialtyName(slug string) string {
	for _, s := range specialties {
		if s.Slug == slug {
			return s.Name
		}
	}
	return ""
}
