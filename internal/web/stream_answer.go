package web

import "net/http"

// answerByID answers 200 with what f makes of the route's {id}: the shape
// of the stream routes that read or act on one stream.
func answerByID[T any](w http.ResponseWriter, r *http.Request, f func(id int64) (T, error)) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	v, err := f(id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// createdOr is 201 for something made now, 200 when a repeated request
// answers what the first one made.
func createdOr(replayed bool) int {
	if replayed {
		return http.StatusOK
	}
	return http.StatusCreated
}
